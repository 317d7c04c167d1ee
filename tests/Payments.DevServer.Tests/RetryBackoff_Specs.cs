using Google.Protobuf.WellKnownTypes;
using Payments.DevServer.Engine;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace Payments.DevServer.Tests;

/// <summary>An attempt retried for ever keeps its maximum interval: its exponential backoff never overflows.</summary>
public sealed class RetryBackoff_Specs
{
    private static readonly RetryPolicy EveryMinuteAtMost = RetryPolicies.WithDefaults(new RetryPolicy
    {
        InitialInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        MaximumInterval = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)),
    });

    [Theory]
    [InlineData(3, 4)]
    [InlineData(64, 60)]
    [InlineData(100_000, 60)]
    public void Decide_AttemptN_WaitsItsBackoffCappedAtTheMaximum(int attempt, int seconds)
    {
        var state = RetryPolicies.Decide(EveryMinuteAtMost, attempt, new Failure { Message = "down" }, DateTime.UtcNow, DateTime.MaxValue, out var delay);

        Assert.Equal((RetryState.InProgress, TimeSpan.FromSeconds(seconds)), (state, delay));
    }
}
