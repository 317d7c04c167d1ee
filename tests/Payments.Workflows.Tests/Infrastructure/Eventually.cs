namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>Waits (in real time, while virtual time stands still) for something the workers do in the background.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still waiting for {what}; last seen: {value}");
            }
            await Task.Delay(50);
        }
    }
}
