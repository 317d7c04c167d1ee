using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>A query waiting for a worker's answer.</summary>
internal sealed class QueryTask(Execution execution, WorkflowQuery query)
{
    public string Id { get; } = Guid.NewGuid().ToString();

    public Execution Execution { get; } = execution;

    public WorkflowQuery Query { get; } = query;

    public TaskCompletionSource<RespondQueryTaskCompletedRequest> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsAnswered => Answer.Task.IsCompleted;
}

internal sealed partial class TemporalEngine
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, QueryTask> _queries = new();

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    public async Task<StartWorkflowExecutionResponse> StartWorkflowAsync(StartWorkflowExecutionRequest r)
    {
        var ns = GetNamespace(r.Namespace);
        ValidateStart(r.WorkflowId, r.WorkflowType, r.TaskQueue);
        var chain = ns.GetOrAddChain(r.WorkflowId);
        var outcome = await MutateAsync(chain, m => StartRun(chain, new StartSpec(StartedAttributes(r), r.RequestId, r.WorkflowIdReusePolicy, r.WorkflowIdConflictPolicy, r.WorkflowStartDelay.ToTimeSpanOrZero()), m));
        return new StartWorkflowExecutionResponse { RunId = outcome.Run.RunId, Started = outcome.Started, Status = outcome.Run.Status };
    }

    private static void ValidateStart(string workflowId, WorkflowType? type, TaskQueue? queue)
    {
        if (string.IsNullOrEmpty(workflowId))
        {
            throw TemporalErrors.InvalidArgument("WorkflowId is not set on request.");
        }
        if (string.IsNullOrEmpty(type?.Name))
        {
            throw TemporalErrors.InvalidArgument("WorkflowType is not set on request.");
        }
        if (string.IsNullOrEmpty(queue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
    }

    private static WorkflowExecutionStartedEventAttributes StartedAttributes(StartWorkflowExecutionRequest r) => new()
    {
        WorkflowType = r.WorkflowType,
        TaskQueue = new TaskQueue { Name = r.TaskQueue.Name, Kind = TaskQueueKind.Normal },
        Input = r.Input,
        WorkflowExecutionTimeout = r.WorkflowExecutionTimeout,
        WorkflowRunTimeout = r.WorkflowRunTimeout,
        WorkflowTaskTimeout = r.WorkflowTaskTimeout,
        Identity = r.Identity,
        RetryPolicy = r.RetryPolicy,
        CronSchedule = r.CronSchedule,
        Memo = r.Memo,
        SearchAttributes = r.SearchAttributes,
        Header = r.Header,
        Priority = r.Priority,
        ContinuedFailure = r.ContinuedFailure,
        LastCompletionResult = r.LastCompletionResult,
    };

    public async Task<SignalWithStartWorkflowExecutionResponse> SignalWithStartAsync(SignalWithStartWorkflowExecutionRequest r)
    {
        var ns = GetNamespace(r.Namespace);
        ValidateStart(r.WorkflowId, r.WorkflowType, r.TaskQueue);
        var chain = ns.GetOrAddChain(r.WorkflowId);
        var outcome = await MutateAsync(chain, m =>
        {
            var signal = SignalEvent(r.SignalName, r.SignalInput, r.Identity, r.Header, r.RequestId);
            if (chain.Current is { IsRunning: true } current)
            {
                AddExternal(current, signal, m);
                return new StartOutcome(current, false);
            }
            var start = new StartWorkflowExecutionRequest
            {
                WorkflowType = r.WorkflowType, TaskQueue = r.TaskQueue, Input = r.Input, WorkflowExecutionTimeout = r.WorkflowExecutionTimeout,
                WorkflowRunTimeout = r.WorkflowRunTimeout, WorkflowTaskTimeout = r.WorkflowTaskTimeout, Identity = r.Identity, RetryPolicy = r.RetryPolicy,
                CronSchedule = r.CronSchedule, Memo = r.Memo, SearchAttributes = r.SearchAttributes, Header = r.Header, Priority = r.Priority,
            };
            return StartRun(chain, new StartSpec(StartedAttributes(start), r.RequestId, r.WorkflowIdReusePolicy, WorkflowIdConflictPolicy.UseExisting, r.WorkflowStartDelay.ToTimeSpanOrZero(), signal), m);
        });
        return new SignalWithStartWorkflowExecutionResponse { RunId = outcome.Run.RunId, Started = outcome.Started };
    }

    private HistoryEvent SignalEvent(string name, Payloads? input, string identity, Header? header, string requestId)
    {
        var e = NewEvent(EventType.WorkflowExecutionSignaled);
        e.WorkflowExecutionSignaledEventAttributes = new WorkflowExecutionSignaledEventAttributes
        {
            SignalName = name, Input = input, Identity = identity, Header = header, RequestId = requestId,
        };
        return e;
    }

    public async Task<SignalWorkflowExecutionResponse> SignalAsync(SignalWorkflowExecutionRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.WorkflowExecution?.WorkflowId ?? "");
        await MutateAsync(chain, m =>
        {
            var x = GetRun(chain, r.WorkflowExecution!.RunId);
            if (!x.IsRunning)
            {
                throw TemporalErrors.AlreadyCompleted();
            }
            if (string.IsNullOrEmpty(r.RequestId) || !x.SignalRequestIds.Contains(r.RequestId))
            {
                AddExternal(x, SignalEvent(r.SignalName, r.Input, r.Identity, r.Header, r.RequestId), m);
            }
            return true;
        });
        return new SignalWorkflowExecutionResponse();
    }

    public async Task<TerminateWorkflowExecutionResponse> TerminateAsync(TerminateWorkflowExecutionRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.WorkflowExecution?.WorkflowId ?? "");
        await MutateAsync(chain, m =>
        {
            var x = GetRun(chain, r.WorkflowExecution!.RunId);
            if (!x.IsRunning)
            {
                throw TemporalErrors.AlreadyCompleted();
            }
            Terminate(x, r.Reason, m, r.Identity, r.Details);
            return true;
        });
        return new TerminateWorkflowExecutionResponse();
    }

    public async Task<RequestCancelWorkflowExecutionResponse> RequestCancelAsync(RequestCancelWorkflowExecutionRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.WorkflowExecution?.WorkflowId ?? "");
        await MutateAsync(chain, m =>
        {
            var x = GetRun(chain, r.WorkflowExecution!.RunId);
            if (!x.IsRunning)
            {
                throw TemporalErrors.AlreadyCompleted();
            }
            RequestCancel(x, r.Reason, r.Identity, null, m);
            return true;
        });
        return new RequestCancelWorkflowExecutionResponse();
    }

    /// <summary>Signal-external and cancel-external commands: the initiated event now, delivery after the lock.</summary>
    private void InitiateExternal(Execution x, Command command, long completedId, Mutation m)
    {
        HistoryEvent e;
        if (command.CommandType == CommandType.SignalExternalWorkflowExecution)
        {
            var c = command.SignalExternalWorkflowExecutionCommandAttributes;
            e = NewEvent(EventType.SignalExternalWorkflowExecutionInitiated);
            e.SignalExternalWorkflowExecutionInitiatedEventAttributes = new SignalExternalWorkflowExecutionInitiatedEventAttributes
            {
                Namespace = string.IsNullOrEmpty(c.Namespace) ? x.Namespace.Name : c.Namespace,
                NamespaceId = x.Namespace.Id,
                WorkflowExecution = c.Execution,
                SignalName = c.SignalName,
                Input = c.Input,
                Control = c.Control,
                ChildWorkflowOnly = c.ChildWorkflowOnly,
                Header = c.Header,
                WorkflowTaskCompletedEventId = completedId,
            };
        }
        else
        {
            var c = command.RequestCancelExternalWorkflowExecutionCommandAttributes;
            e = NewEvent(EventType.RequestCancelExternalWorkflowExecutionInitiated);
            e.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = new RequestCancelExternalWorkflowExecutionInitiatedEventAttributes
            {
                Namespace = string.IsNullOrEmpty(c.Namespace) ? x.Namespace.Name : c.Namespace,
                NamespaceId = x.Namespace.Id,
                WorkflowExecution = new WorkflowExecution { WorkflowId = c.WorkflowId, RunId = c.RunId },
                Control = c.Control,
                ChildWorkflowOnly = c.ChildWorkflowOnly,
                Reason = c.Reason,
                WorkflowTaskCompletedEventId = completedId,
            };
        }
        e.UserMetadata = command.UserMetadata;
        Append(x, e, m);
        m.After(() => DeliverExternal(x, e));
    }

    /// <summary>Delivers a signal/cancel to its target and records the outcome in the requesting run.</summary>
    public void DeliverExternal(Execution source, HistoryEvent initiated)
    {
        var isSignal = initiated.AttributesCase == HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionInitiatedEventAttributes;
        var nsName = isSignal ? initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes.Namespace : initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.Namespace;
        var target = isSignal ? initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes.WorkflowExecution : initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.WorkflowExecution;
        var delivered = false;
        var ns = GetNamespace(nsName);
        var sourceExecution = new WorkflowExecution { WorkflowId = source.WorkflowId, RunId = source.RunId };
        if (ns.Chains.TryGetValue(target.WorkflowId, out var chain) && chain != source.Chain)
        {
            delivered = Mutate(chain, m =>
            {
                if (chain.Find(target.RunId) is not { IsRunning: true } x)
                {
                    return false;
                }
                if (isSignal)
                {
                    var a = initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes;
                    var signal = SignalEvent(a.SignalName, a.Input, "", a.Header, $"{source.RunId}:{initiated.EventId}");
                    signal.WorkflowExecutionSignaledEventAttributes.ExternalWorkflowExecution = sourceExecution;
                    if (!x.SignalRequestIds.Contains(signal.WorkflowExecutionSignaledEventAttributes.RequestId))
                    {
                        AddExternal(x, signal, m);
                    }
                }
                else
                {
                    RequestCancel(x, initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.Reason, "", (initiated.EventId, sourceExecution), m);
                }
                return true;
            });
        }
        else if (chain == source.Chain)
        {
            delivered = SignalOrCancelSelf(source, initiated, isSignal, sourceExecution);
        }
        Mutate(source.Chain, m =>
        {
            if (!source.IsRunning || !source.ExternalRequests.ContainsKey(initiated.EventId))
            {
                return;
            }
            HistoryEvent outcome;
            if (isSignal)
            {
                var a = initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes;
                if (delivered)
                {
                    outcome = NewEvent(EventType.ExternalWorkflowExecutionSignaled);
                    outcome.ExternalWorkflowExecutionSignaledEventAttributes = new ExternalWorkflowExecutionSignaledEventAttributes
                    {
                        InitiatedEventId = initiated.EventId, Namespace = a.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = a.Control,
                    };
                }
                else
                {
                    outcome = NewEvent(EventType.SignalExternalWorkflowExecutionFailed);
                    outcome.SignalExternalWorkflowExecutionFailedEventAttributes = new SignalExternalWorkflowExecutionFailedEventAttributes
                    {
                        Cause = SignalExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                        InitiatedEventId = initiated.EventId, Namespace = a.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = a.Control,
                    };
                }
            }
            else
            {
                var a = initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes;
                if (delivered)
                {
                    outcome = NewEvent(EventType.ExternalWorkflowExecutionCancelRequested);
                    outcome.ExternalWorkflowExecutionCancelRequestedEventAttributes = new ExternalWorkflowExecutionCancelRequestedEventAttributes
                    {
                        InitiatedEventId = initiated.EventId, Namespace = a.Namespace, NamespaceId = ns.Id, WorkflowExecution = target,
                    };
                }
                else
                {
                    outcome = NewEvent(EventType.RequestCancelExternalWorkflowExecutionFailed);
                    outcome.RequestCancelExternalWorkflowExecutionFailedEventAttributes = new RequestCancelExternalWorkflowExecutionFailedEventAttributes
                    {
                        Cause = CancelExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                        InitiatedEventId = initiated.EventId, Namespace = a.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = a.Control,
                    };
                }
            }
            AddExternal(source, outcome, m);
        });
    }

    private bool SignalOrCancelSelf(Execution source, HistoryEvent initiated, bool isSignal, WorkflowExecution sourceExecution) => Mutate(source.Chain, m =>
    {
        if (!source.IsRunning)
        {
            return false;
        }
        if (isSignal)
        {
            var a = initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes;
            var signal = SignalEvent(a.SignalName, a.Input, "", a.Header, $"{source.RunId}:{initiated.EventId}");
            signal.WorkflowExecutionSignaledEventAttributes.ExternalWorkflowExecution = sourceExecution;
            AddExternal(source, signal, m);
        }
        else
        {
            RequestCancel(source, initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.Reason, "", (initiated.EventId, sourceExecution), m);
        }
        return true;
    });

    public async Task<QueryWorkflowResponse> QueryAsync(QueryWorkflowRequest r, CancellationToken cancellationToken)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.Execution?.WorkflowId ?? "");
        if (string.IsNullOrEmpty(r.Query?.QueryType))
        {
            throw TemporalErrors.InvalidArgument("QueryType is not set on request.");
        }
        var (query, rejected) = Mutate(chain, _ =>
        {
            var x = GetRun(chain, r.Execution!.RunId);
            var reject = r.QueryRejectCondition switch
            {
                QueryRejectCondition.NotOpen => !x.IsRunning,
                QueryRejectCondition.NotCompletedCleanly => x.Status is not (WorkflowExecutionStatus.Running or WorkflowExecutionStatus.Completed),
                _ => false,
            };
            if (reject)
            {
                return ((QueryTask?)null, new QueryRejected { Status = x.Status });
            }
            var task = new QueryTask(x, r.Query);
            _queries[task.Id] = task;
            if (x.IsRunning && x.WorkflowTask is not null)
            {
                x.ParkedQueries.Add(task);
            }
            else
            {
                DispatchQuery(task);
            }
            return (task, (QueryRejected?)null);
        });
        if (rejected is not null)
        {
            return new QueryWorkflowResponse { QueryRejected = rejected };
        }
        try
        {
            var answer = await query!.Answer.Task.WaitAsync(QueryTimeout, cancellationToken);
            return answer.CompletedType == QueryResultType.Answered
                ? new QueryWorkflowResponse { QueryResult = answer.QueryResult }
                : throw TemporalErrors.QueryFailed(answer.ErrorMessage);
        }
        catch (TimeoutException)
        {
            throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.DeadlineExceeded, "query timed out: no worker answered"));
        }
        finally
        {
            _queries.TryRemove(query!.Id, out _);
            query.Answer.TrySetCanceled(CancellationToken.None);
        }
    }

    private void DispatchQuery(QueryTask task) =>
        Queues.Get(task.Execution.Namespace.Name, task.Execution.Started.TaskQueue.Name, TaskQueueType.Workflow).Add(task);

    /// <summary>Sends out the queries held back while a workflow task was pending. Call under the chain's lock.</summary>
    public void ReleaseParkedQueries(Execution x)
    {
        x.ParkedQueries.ForEach(DispatchQuery);
        x.ParkedQueries.Clear();
    }

    private static PollWorkflowTaskQueueResponse QueryTaskResponse(QueryTask query)
    {
        var x = query.Execution;
        var history = new History();
        history.Events.AddRange(x.History);
        return new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Query, x.Namespace.Name, x.WorkflowId, x.RunId, 0, 0, query.Id).ToByteString(),
            WorkflowExecution = new WorkflowExecution { WorkflowId = x.WorkflowId, RunId = x.RunId },
            WorkflowType = x.Started.WorkflowType,
            PreviousStartedEventId = x.PreviousStartedEventId,
            History = history,
            Query = query.Query,
            WorkflowExecutionTaskQueue = new TaskQueue { Name = x.Started.TaskQueue.Name, Kind = TaskQueueKind.Normal },
        };
    }

    public RespondQueryTaskCompletedResponse CompleteQueryTask(RespondQueryTaskCompletedRequest r)
    {
        var token = TaskToken.Parse(r.TaskToken, TaskTokenKind.Query);
        if (!_queries.TryGetValue(token.QueryId, out var query) || !query.Answer.TrySetResult(r))
        {
            throw TemporalErrors.NotFound("Query task not found.");
        }
        return new RespondQueryTaskCompletedResponse();
    }

    public async Task<GetWorkflowExecutionHistoryResponse> GetHistoryAsync(GetWorkflowExecutionHistoryRequest r, CancellationToken cancellationToken)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.Execution?.WorkflowId ?? "");
        var pageSize = r.MaximumPageSize > 0 ? r.MaximumPageSize : 1000;
        var start = r.NextPageToken.Length == 8 ? (int)BitConverter.ToInt64(r.NextPageToken.Span) : 0;
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        hold.CancelAfter(PollHold);
        while (true)
        {
            Task changed;
            lock (chain)
            {
                var x = GetRun(chain, r.Execution!.RunId);
                changed = x.Changed;
                if (r.HistoryEventFilterType == HistoryEventFilterType.CloseEvent)
                {
                    if (x.CloseEvent is { } close)
                    {
                        return new GetWorkflowExecutionHistoryResponse { History = new History { Events = { close } } };
                    }
                }
                else
                {
                    var events = x.History.Skip(start).Take(pageSize).ToList();
                    var end = start + events.Count;
                    if (events.Count > 0 || !r.WaitNewEvent || !x.IsRunning)
                    {
                        var more = end < x.History.Count || (r.WaitNewEvent && x.IsRunning);
                        return new GetWorkflowExecutionHistoryResponse
                        {
                            History = new History { Events = { events } },
                            NextPageToken = more ? PageToken(end) : ByteString.Empty,
                        };
                    }
                }
                if (!r.WaitNewEvent)
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

    public GetWorkflowExecutionHistoryReverseResponse GetHistoryReverse(GetWorkflowExecutionHistoryReverseRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.Execution?.WorkflowId ?? "");
        var pageSize = r.MaximumPageSize > 0 ? r.MaximumPageSize : 1000;
        lock (chain)
        {
            var x = GetRun(chain, r.Execution!.RunId);
            var end = r.NextPageToken.Length == 8 ? (int)BitConverter.ToInt64(r.NextPageToken.Span) : x.History.Count;
            var start = Math.Max(0, end - pageSize);
            var events = x.History.Skip(start).Take(end - start).Reverse().ToList();
            return new GetWorkflowExecutionHistoryReverseResponse
            {
                History = new History { Events = { events } },
                NextPageToken = start > 0 ? PageToken(start) : ByteString.Empty,
            };
        }
    }

    public DescribeWorkflowExecutionResponse Describe(DescribeWorkflowExecutionRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.Execution?.WorkflowId ?? "");
        lock (chain)
        {
            var x = GetRun(chain, r.Execution!.RunId);
            var response = new DescribeWorkflowExecutionResponse
            {
                WorkflowExecutionInfo = DescribeInfo(x),
                ExecutionConfig = new WorkflowExecutionConfig
                {
                    TaskQueue = x.Started.TaskQueue,
                    WorkflowExecutionTimeout = x.Started.WorkflowExecutionTimeout,
                    WorkflowRunTimeout = x.Started.WorkflowRunTimeout,
                    DefaultWorkflowTaskTimeout = x.Started.WorkflowTaskTimeout,
                },
            };
            foreach (var a in x.Activities.Values)
            {
                response.PendingActivities.Add(new PendingActivityInfo
                {
                    ActivityId = a.Attributes.ActivityId,
                    ActivityType = a.Attributes.ActivityType,
                    State = a.CancelRequested ? PendingActivityState.CancelRequested : a.IsStarted ? PendingActivityState.Started : PendingActivityState.Scheduled,
                    HeartbeatDetails = a.HeartbeatDetails,
                    LastHeartbeatTime = a.LastHeartbeatTime is { } beat ? Timestamp.FromDateTime(beat) : null,
                    LastStartedTime = a.StartedTime is { } started ? Timestamp.FromDateTime(started) : null,
                    Attempt = a.Attempt,
                    MaximumAttempts = a.Attributes.RetryPolicy?.MaximumAttempts ?? 0,
                    ScheduledTime = Timestamp.FromDateTime(a.AttemptScheduledTime),
                    ExpirationTime = a.ScheduleToCloseDeadline == DateTime.MaxValue ? null : Timestamp.FromDateTime(a.ScheduleToCloseDeadline),
                    LastFailure = a.LastFailure,
                    LastWorkerIdentity = a.StartedIdentity,
                });
            }
            foreach (var child in x.Children.Values)
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
            if (x.WorkflowTask is { } task)
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

    public DescribeTaskQueueResponse DescribeTaskQueue(DescribeTaskQueueRequest r)
    {
        var ns = GetNamespace(r.Namespace);
        var type = r.TaskQueueType == TaskQueueType.Unspecified ? TaskQueueType.Workflow : r.TaskQueueType;
        var response = new DescribeTaskQueueResponse();
        foreach (var (identity, last) in Queues.Find(ns.Name, r.TaskQueue?.Name ?? "", type)?.Pollers ?? new Dictionary<string, DateTime>())
        {
            response.Pollers.Add(new PollerInfo { Identity = identity, LastAccessTime = Timestamp.FromDateTime(last == DateTime.MaxValue ? DateTime.UtcNow : last) });
        }
        return response;
    }

    public ResetStickyTaskQueueResponse ResetStickyTaskQueue(ResetStickyTaskQueueRequest r)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.Execution?.WorkflowId ?? "");
        Mutate(chain, m =>
        {
            var x = GetRun(chain, r.Execution!.RunId);
            x.StickyQueue = null;
            m.Touch(x);
        });
        return new ResetStickyTaskQueueResponse();
    }

    /// <summary>A worker leaves: its sticky queue is gone, so the tasks waiting there move to the normal queue now.</summary>
    public ShutdownWorkerResponse ShutdownWorker(ShutdownWorkerRequest r)
    {
        var ns = GetNamespace(r.Namespace);
        if (string.IsNullOrEmpty(r.StickyTaskQueue) || Queues.Find(ns.Name, r.StickyTaskQueue, TaskQueueType.Workflow) is not { } sticky)
        {
            return new ShutdownWorkerResponse();
        }
        foreach (var task in sticky.Drain().OfType<WorkflowTaskRef>())
        {
            var x = task.Execution;
            Mutate(x.Chain, m =>
            {
                if (x.WorkflowTask is { IsStarted: false } pending && pending.ScheduledEventId == task.ScheduledEventId)
                {
                    OnWorkflowTaskTimeout(x, pending, TimeoutType.ScheduleToStart, m);
                }
            });
        }
        return new ShutdownWorkerResponse();
    }

    /// <summary>Writes a namespace's registered search attributes (durable mode).</summary>
    public Task PersistNamespaceAsync(NamespaceState ns) =>
        Store?.WriteNamespaceAsync(ns.Name, ns.Id, ns.SearchAttributes.Custom.ToDictionary()) ?? Task.CompletedTask;
}
