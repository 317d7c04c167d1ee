using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// An operator's hands on a workflow's pending activities, as Temporal's PauseActivity, UnpauseActivity, ResetActivity
/// and UpdateActivityOptions: a paused activity queues no attempt (a running one learns it from its heartbeat and its
/// end waits for the unpause), a reset one starts again at attempt 1, new options act from the next timer or attempt.
/// </summary>
internal sealed class ActivityControls(TemporalEngine engine)
{
    public async Task<IMessage> PauseAsync(PauseActivityRequest request)
    {
        var selector = new ActivitySelector(request.HasId ? request.Id : null, request.HasType ? request.Type : null, All: false);
        await ForEachAsync(request.Namespace, request.Execution, selector, (run, activity) =>
        {
            if (activity.IsPaused)
            {
                return activity.Pause!.RequestId.Length > 0 && activity.Pause.RequestId == request.RequestId
                    ? false
                    : throw TemporalErrors.FailedPrecondition("activity is already paused");
            }
            activity.Pause = new ActivityPause(engine.Clock.UtcNow, request.Identity, request.Reason, request.RequestId);
            if (!activity.IsStarted)
            {
                // A queued attempt no longer waits for a worker (nor holds virtual time); a running one is left to end.
                run.Armed.Activity(activity.ScheduledEventId).EndAttempt();
            }
            return true;
        });
        return new PauseActivityResponse();
    }

    public async Task<IMessage> UnpauseAsync(UnpauseActivityRequest request)
    {
        var selector = new ActivitySelector(request.HasId ? request.Id : null, request.HasType ? request.Type : null, request.HasUnpauseAll && request.UnpauseAll);
        await ForEachAsync(request.Namespace, request.Execution, selector, (run, activity) =>
        {
            if (!activity.IsPaused)
            {
                return false;
            }
            activity.Pause = null;
            if (request.ResetAttempts && !activity.IsStarted)
            {
                activity.Attempt = 1;
            }
            if (request.ResetHeartbeat)
            {
                ResetHeartbeat(activity);
            }
            if (!activity.IsStarted)
            {
                engine.Activities.Requeue(run, activity, Jittered(request.Jitter));
            }
            return true;
        });
        return new UnpauseActivityResponse();
    }

    public async Task<IMessage> ResetAsync(ResetActivityRequest request)
    {
        var selector = new ActivitySelector(request.HasId ? request.Id : null, request.HasType ? request.Type : null, request.HasMatchAll && request.MatchAll);
        await ForEachAsync(request.Namespace, request.Execution, selector, (run, activity) =>
        {
            if (request.RestoreOriginalOptions)
            {
                activity.RestoreOriginalOptions();
                engine.Activities.Rearm(run, activity);
            }
            if (activity.IsStarted)
            {
                // The running attempt goes on (its heartbeats answer activity_reset); the one after it is attempt 1.
                activity.ResetRequested = true;
                activity.ResetHeartbeatOnRetry = request.ResetHeartbeat;
                return true;
            }
            activity.Attempt = 1;
            if (request.ResetHeartbeat)
            {
                activity.HeartbeatDetails = null;
                activity.LastHeartbeatTime = null;
            }
            if (activity.IsPaused && request.KeepPaused)
            {
                return true;
            }
            activity.Pause = null;
            engine.Activities.Requeue(run, activity, Jittered(request.Jitter));
            return true;
        });
        return new ResetActivityResponse();
    }

    public async Task<IMessage> UpdateOptionsAsync(UpdateActivityOptionsRequest request)
    {
        if (!request.RestoreOriginal && (request.UpdateMask is null || request.UpdateMask.Paths.Count == 0))
        {
            throw TemporalErrors.InvalidArgument("UpdateMask is required unless RestoreOriginal is set.");
        }
        var paths = request.RestoreOriginal ? [] : request.UpdateMask!.Paths.Select(ActivityOptionPaths.Canonical).ToList();
        var selector = new ActivitySelector(request.HasId ? request.Id : null, request.HasType ? request.Type : null, request.HasMatchAll && request.MatchAll);
        ActivityOptions? updated = null;
        await ForEachAsync(request.Namespace, request.Execution, selector, (run, activity) =>
        {
            if (request.RestoreOriginal)
            {
                activity.RestoreOriginalOptions();
            }
            else
            {
                activity.ChangeOptions(options => ActivityOptionPaths.Apply(options, request.ActivityOptions ?? new ActivityOptions(), paths));
            }
            engine.Activities.Rearm(run, activity);
            updated = ActivityOptionPaths.Of(activity.Attributes);
            return true;
        });
        return new UpdateActivityOptionsResponse { ActivityOptions = updated };
    }

    private static void ResetHeartbeat(ActivityInfo activity)
    {
        if (activity.IsStarted)
        {
            activity.ResetHeartbeatOnRetry = true;
            return;
        }
        activity.HeartbeatDetails = null;
        activity.LastHeartbeatTime = null;
    }

    /// <summary>Now, or a random instant within <paramref name="jitter"/> of now (spreads many unpaused activities).</summary>
    private DateTime Jittered(Duration? jitter)
    {
        var spread = jitter.ToTimeSpanOrZero();
        return engine.Clock.UtcNow + (spread > TimeSpan.Zero ? TimeSpan.FromTicks(Random.Shared.NextInt64(spread.Ticks)) : TimeSpan.Zero);
    }

    /// <summary>Applies <paramref name="change"/> to each pending activity the selector names, in one change of the open run; NotFound when none matches.</summary>
    private Task ForEachAsync(string nsName, WorkflowExecution? execution, ActivitySelector selector, Func<Execution, ActivityInfo, bool> change)
    {
        if (selector.Id is null && selector.Type is null && !selector.All)
        {
            throw TemporalErrors.InvalidArgument("Either activity id, activity type or match all must be provided.");
        }
        return engine.MutateOpenRunAsync(nsName, execution, (run, mutation) =>
        {
            var matching = run.Activities.Values.Where(selector.Matches).ToList();
            if (matching.Count == 0)
            {
                throw TemporalErrors.NotFound("activity not found");
            }
            foreach (var activity in matching)
            {
                if (change(run, activity))
                {
                    mutation.Touch(run);
                }
            }
        });
    }

    private sealed record ActivitySelector(string? Id, string? Type, bool All)
    {
        public bool Matches(ActivityInfo activity) =>
            All || (Id is not null && activity.Attributes.ActivityId == Id) || (Type is not null && activity.Attributes.ActivityType.Name == Type);
    }
}
