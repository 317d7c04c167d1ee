using Temporalio.Exceptions;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>Waits (in real time, while virtual time stands still) for something the workers do in the background.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Reads until <paramref name="done"/>; a workflow that does not exist yet (a child about to start) is read again.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = "nothing";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await read();
                if (done(value))
                {
                    return value;
                }
                last = value?.ToString() ?? "null";
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
            {
                last = e.Message;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Still waiting for {what}; last seen: {last}");
    }
}
