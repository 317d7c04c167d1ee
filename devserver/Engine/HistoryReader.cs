using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>Reading runs: history pages (with long polls for new events), describe, and the task queue's pollers.</summary>
internal sealed class HistoryReader(TemporalEngine engine)
{
    private const int DefaultPageSize = 1000;

    public async Task<GetWorkflowExecutionHistoryResponse> GetHistoryAsync(GetWorkflowExecutionHistoryRequest request, CancellationToken cancellationToken)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.Execution?.WorkflowId ?? "");
        var pageSize = request.MaximumPageSize > 0 ? request.MaximumPageSize : DefaultPageSize;
        var start = request.NextPageToken.Length == 8 ? (int)BitConverter.ToInt64(request.NextPageToken.Span) : 0;
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engine.Stopping);
        hold.CancelAfter(TemporalEngine.PollHold);
        while (true)
        {
            Task changed;
            lock (chain)
            {
                var run = TemporalEngine.GetRun(chain, request.Execution!.RunId);
                changed = run.Changed;
                if (request.HistoryEventFilterType == HistoryEventFilterType.CloseEvent)
                {
                    if (run.CloseEvent is { } close)
                    {
                        return new GetWorkflowExecutionHistoryResponse { History = new History { Events = { close } } };
                    }
                }
                else
                {
                    var events = run.History.Skip(start).Take(pageSize).ToList();
                    var end = start + events.Count;
                    if (events.Count > 0 || !request.WaitNewEvent || !run.IsRunning)
                    {
                        var more = end < run.History.Count || (request.WaitNewEvent && run.IsRunning);
                        return new GetWorkflowExecutionHistoryResponse
                        {
                            History = new History { Events = { events } },
                            NextPageToken = more ? PageToken(end) : ByteString.Empty,
                        };
                    }
                }
                if (!request.WaitNewEvent)
                {
                    return new GetWorkflowExecutionHistoryResponse { History = new History() };
                }
            }
            try
            {
                await changed.WaitAsync(hold.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing new within the hold: an empty page with a token makes the client ask again.
                return new GetWorkflowExecutionHistoryResponse { NextPageToken = PageToken(start) };
            }
        }
    }

    private static ByteString PageToken(long index) => ByteString.CopyFrom(BitConverter.GetBytes(index));

    public GetWorkflowExecutionHistoryReverseResponse GetHistoryReverse(GetWorkflowExecutionHistoryReverseRequest request)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.Execution?.WorkflowId ?? "");
        var pageSize = request.MaximumPageSize > 0 ? request.MaximumPageSize : DefaultPageSize;
        lock (chain)
        {
            var run = TemporalEngine.GetRun(chain, request.Execution!.RunId);
            var end = request.NextPageToken.Length == 8 ? (int)BitConverter.ToInt64(request.NextPageToken.Span) : run.History.Count;
            var start = Math.Max(0, end - pageSize);
            var events = run.History.Skip(start).Take(end - start).Reverse().ToList();
            return new GetWorkflowExecutionHistoryReverseResponse
            {
                History = new History { Events = { events } },
                NextPageToken = start > 0 ? PageToken(start) : ByteString.Empty,
            };
        }
    }

    public DescribeWorkflowExecutionResponse Describe(DescribeWorkflowExecutionRequest request)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.Execution?.WorkflowId ?? "");
        lock (chain)
        {
            var run = TemporalEngine.GetRun(chain, request.Execution!.RunId);
            var info = DescribeInfo(run);
            info.AutoResetPoints = WorkflowResets.AutoResetPoints(run);
            var response = new DescribeWorkflowExecutionResponse
            {
                WorkflowExecutionInfo = info,
                ExecutionConfig = new WorkflowExecutionConfig
                {
                    TaskQueue = run.Started.TaskQueue,
                    WorkflowExecutionTimeout = run.Started.WorkflowExecutionTimeout,
                    WorkflowRunTimeout = run.Started.WorkflowRunTimeout,
                    DefaultWorkflowTaskTimeout = run.Started.WorkflowTaskTimeout,
                    UserMetadata = run.History[0].UserMetadata,
                },
            };
            response.PendingActivities.AddRange(run.Activities.Values.Select(PendingActivity));
            foreach (var child in run.Children.Values)
            {
                response.PendingChildren.Add(new PendingChildExecutionInfo
                {
                    WorkflowId = child.Attributes.WorkflowId,
                    RunId = child.RunId ?? "",
                    WorkflowTypeName = child.Attributes.WorkflowType.Name,
                    InitiatedId = child.InitiatedEventId,
                    ParentClosePolicy = child.Attributes.ParentClosePolicy,
                });
            }
            if (run.WorkflowTask is { } task)
            {
                response.PendingWorkflowTask = new PendingWorkflowTaskInfo
                {
                    State = task.IsStarted ? PendingWorkflowTaskState.Started : PendingWorkflowTaskState.Scheduled,
                    ScheduledTime = Timestamp.FromDateTime(task.ScheduledTime),
                    StartedTime = task.IsStarted ? Timestamp.FromDateTime(task.StartedTime) : null,
                    Attempt = task.Attempt,
                };
            }
            return response;
        }
    }

    private static PendingActivityInfo PendingActivity(ActivityInfo activity) => new()
    {
        ActivityId = activity.Attributes.ActivityId,
        ActivityType = activity.Attributes.ActivityType,
        State = PendingState(activity),
        Paused = activity.IsPaused,
        PauseInfo = activity.Pause is { } pause
            ? new PendingActivityInfo.Types.PauseInfo
            {
                PauseTime = Timestamp.FromDateTime(pause.Time),
                Manual = new PendingActivityInfo.Types.PauseInfo.Types.Manual { Identity = pause.Identity, Reason = pause.Reason },
            }
            : null,
        ActivityOptions = ActivityOptionPaths.Of(activity.Attributes),
        HeartbeatDetails = activity.HeartbeatDetails,
        LastHeartbeatTime = activity.LastHeartbeatTime is { } beat ? Timestamp.FromDateTime(beat) : null,
        LastStartedTime = activity.StartedTime is { } started ? Timestamp.FromDateTime(started) : null,
        Attempt = activity.Attempt,
        MaximumAttempts = activity.Attributes.RetryPolicy?.MaximumAttempts ?? 0,
        ScheduledTime = Timestamp.FromDateTime(activity.AttemptScheduledTime),
        ExpirationTime = activity.ScheduleToCloseDeadline == DateTime.MaxValue ? null : Timestamp.FromDateTime(activity.ScheduleToCloseDeadline),
        LastFailure = activity.LastFailure,
        LastWorkerIdentity = activity.StartedIdentity,
    };

    /// <summary>Temporal's states: a paused activity is Paused while no attempt runs, PauseRequested while one still does.</summary>
    private static PendingActivityState PendingState(ActivityInfo activity) => activity switch
    {
        { CancelRequested: true } => PendingActivityState.CancelRequested,
        { IsPaused: true, IsStarted: true } => PendingActivityState.PauseRequested,
        { IsPaused: true } => PendingActivityState.Paused,
        { IsStarted: true } => PendingActivityState.Started,
        _ => PendingActivityState.Scheduled,
    };

    /// <summary>The run's summary, as describe and the visibility store show it.</summary>
    public static WorkflowExecutionInfo DescribeInfo(Execution run)
    {
        var info = new WorkflowExecutionInfo
        {
            Execution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            Type = run.Started.WorkflowType,
            StartTime = Timestamp.FromDateTime(run.StartTime),
            ExecutionTime = Timestamp.FromDateTime(run.StartTime + run.Started.FirstWorkflowTaskBackoff.ToTimeSpanOrZero()),
            Status = run.Status,
            HistoryLength = run.History.Count,
            Memo = run.Memo.Clone(),
            SearchAttributes = run.SearchAttributes.Clone(),
            TaskQueue = run.Started.TaskQueue.Name,
            FirstRunId = run.Started.FirstExecutionRunId,
            StateTransitionCount = run.History.Count,
            HistorySizeBytes = run.HistorySizeBytes,
            RootExecution = run.Started.RootWorkflowExecution ?? new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
        };
        if (run.Started.ParentWorkflowExecution is { } parent)
        {
            info.ParentExecution = parent;
            info.ParentNamespaceId = run.Started.ParentWorkflowNamespaceId;
        }
        if (run.CloseTime is { } closed)
        {
            info.CloseTime = Timestamp.FromDateTime(closed);
            info.ExecutionDuration = Duration.FromTimeSpan(closed - info.ExecutionTime.ToDateTime());
        }
        return info;
    }

    public DescribeTaskQueueResponse DescribeTaskQueue(DescribeTaskQueueRequest request)
    {
        var ns = engine.GetNamespace(request.Namespace);
        var queueType = request.TaskQueueType == TaskQueueType.Unspecified ? TaskQueueType.Workflow : request.TaskQueueType;
        var response = new DescribeTaskQueueResponse();
        foreach (var (identity, lastAccess) in engine.Queues.Find(ns.Name, request.TaskQueue?.Name ?? "", queueType)?.Pollers ?? new Dictionary<string, DateTime>())
        {
            response.Pollers.Add(new PollerInfo { Identity = identity, LastAccessTime = Timestamp.FromDateTime(lastAccess == DateTime.MaxValue ? DateTime.UtcNow : lastAccess) });
        }
        return response;
    }
}
