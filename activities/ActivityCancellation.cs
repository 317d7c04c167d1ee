using Temporalio.Activities;

namespace Payments.Activities;

internal static class ActivityCancellation
{
    /// <summary>The running activity's cancellation, or none when a store is called outside an activity.</summary>
    public static CancellationToken Token =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
