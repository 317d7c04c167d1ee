using System.Collections.Concurrent;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.TaskQueue.V1;
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

/// <summary>
/// Queries through the worker (Temporal's legacy query task on the workflow queue): held while a workflow task is
/// pending so they see its effects, answered from the full history on closed runs too.
/// </summary>
internal sealed class WorkflowQueries(TemporalEngine engine)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, QueryTask> _waiting = new();

    public async Task<QueryWorkflowResponse> QueryAsync(QueryWorkflowRequest request, CancellationToken cancellationToken)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.Execution?.WorkflowId ?? "");
        if (string.IsNullOrEmpty(request.Query?.QueryType))
        {
            throw TemporalErrors.InvalidArgument("QueryType is not set on request.");
        }
        var (query, rejected) = engine.Mutate(chain, _ =>
        {
            var run = TemporalEngine.GetRun(chain, request.Execution!.RunId);
            var reject = request.QueryRejectCondition switch
            {
                QueryRejectCondition.NotOpen => !run.IsRunning,
                QueryRejectCondition.NotCompletedCleanly => run.Status is not (WorkflowExecutionStatus.Running or WorkflowExecutionStatus.Completed),
                _ => false,
            };
            if (reject)
            {
                return ((QueryTask?)null, new QueryRejected { Status = run.Status });
            }
            var task = new QueryTask(run, request.Query);
            _waiting[task.Id] = task;
            if (run.IsRunning && run.WorkflowTask is not null)
            {
                run.ParkedQueries.Add(task);
            }
            else
            {
                Dispatch(task);
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
            _waiting.TryRemove(query!.Id, out _);
            query.Answer.TrySetCanceled(CancellationToken.None);
        }
    }

    public RespondQueryTaskCompletedResponse Complete(RespondQueryTaskCompletedRequest request)
    {
        var token = TaskToken.Parse(request.TaskToken, TaskTokenKind.Query);
        if (!_waiting.TryGetValue(token.QueryId, out var query) || !query.Answer.TrySetResult(request))
        {
            throw TemporalErrors.NotFound("Query task not found.");
        }
        return new RespondQueryTaskCompletedResponse();
    }

    /// <summary>Sends out the queries held back while a workflow task was pending. Call under the chain's lock.</summary>
    public void ReleaseParked(Execution run)
    {
        run.ParkedQueries.ForEach(Dispatch);
        run.ParkedQueries.Clear();
    }

    private void Dispatch(QueryTask task) =>
        engine.Queues.Get(task.Execution.Namespace.Name, task.Execution.Started.TaskQueue.Name, TaskQueueType.Workflow).Add(task);

    /// <summary>What a poller gets for a query: the run's full history and the query.</summary>
    public static PollWorkflowTaskQueueResponse TaskResponse(QueryTask query)
    {
        var run = query.Execution;
        var history = new History();
        history.Events.AddRange(run.History);
        return new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Query, run.Namespace.Name, run.WorkflowId, run.RunId, 0, 0, query.Id).ToByteString(),
            WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            WorkflowType = run.Started.WorkflowType,
            PreviousStartedEventId = run.PreviousStartedEventId,
            History = history,
            Query = query.Query,
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.Started.TaskQueue.Name, Kind = TaskQueueKind.Normal },
        };
    }
}
