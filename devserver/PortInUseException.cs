namespace Payments.DevServer;

/// <summary>A port the server was told to use is taken; <see cref="Option"/> names the option (Port or UiPort) so the caller can name its own setting.</summary>
public sealed class PortInUseException(string option, int port, Exception inner)
    : IOException($"Port {port} ({option}) is already in use", inner)
{
    public string Option { get; } = option;

    public int Port { get; } = port;
}
