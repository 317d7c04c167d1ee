using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Payments.DevServer.Engine;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.TestService.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Hosting;

/// <summary>Binds the Temporal method names to the engine.</summary>
internal static class TemporalHandlers
{
    public const string ServerVersion = "1.27.0";

    public static void Register(RpcDispatcher dispatcher, TemporalEngine engine)
    {
        RegisterFrontend(dispatcher, engine);
        RegisterWorkflows(dispatcher, engine);
        RegisterOperator(dispatcher, engine);
        if (engine.Clock.TimeSkipping)
        {
            RegisterTestService(dispatcher, engine.Clock);
        }
    }

    private static void RegisterFrontend(RpcDispatcher dispatcher, TemporalEngine engine)
    {
        dispatcher.Register<GetSystemInfoRequest>("GetSystemInfo", _ => new GetSystemInfoResponse
        {
            ServerVersion = ServerVersion,
            Capabilities = new GetSystemInfoResponse.Types.Capabilities
            {
                SignalAndQueryHeader = true,
                InternalErrorDifferentiation = true,
                ActivityFailureIncludeHeartbeat = true,
                EncodedFailureAttributes = true,
                UpsertMemo = true,
                SdkMetadata = true,
                CountGroupByExecutionStatus = true,
            },
        });
        dispatcher.Register<GetClusterInfoRequest>("GetClusterInfo", _ => new GetClusterInfoResponse
        {
            ServerVersion = ServerVersion,
            ClusterName = "active",
            ClusterId = "payments-devserver",
            HistoryShardCount = 1,
            PersistenceStore = engine.Store is null ? "memory" : "sqlite",
            VisibilityStore = "memory",
        });
        dispatcher.Register<DescribeNamespaceRequest>("DescribeNamespace", request => Describe(
            string.IsNullOrEmpty(request.Id) ? engine.GetNamespace(request.Namespace) : engine.FindNamespaceById(request.Id) ?? throw TemporalErrors.NamespaceNotFound(request.Id)));
        dispatcher.Register<ListNamespacesRequest>("ListNamespaces", _ =>
        {
            var response = new ListNamespacesResponse();
            response.Namespaces.Add(engine.Namespaces.OrderBy(ns => ns.Name, StringComparer.Ordinal).Select(Describe));
            return response;
        });
        dispatcher.Register<RegisterNamespaceRequest>("RegisterNamespace", request =>
        {
            if (engine.Namespaces.Any(ns => ns.Name == request.Namespace))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.AlreadyExists, "Namespace already exists."));
            }
            engine.AddNamespace(request.Namespace);
            return new RegisterNamespaceResponse();
        });
    }

    private static DescribeNamespaceResponse Describe(Engine.NamespaceState ns) => new()
    {
        NamespaceInfo = new NamespaceInfo
        {
            Name = ns.Name,
            Id = ns.Id,
            State = Temporalio.Api.Enums.V1.NamespaceState.Registered,
            // ShutdownWorker completes a worker's open polls (WorkerInstances), so its SDK need not cancel them on shutdown.
            Capabilities = new NamespaceInfo.Types.Capabilities { SyncUpdate = true, AsyncUpdate = true, EagerWorkflowStart = false, StandaloneActivities = true, WorkerPollCompleteOnShutdown = true },
        },
        Config = new NamespaceConfig { WorkflowExecutionRetentionTtl = Duration.FromTimeSpan(TimeSpan.FromDays(1)) },
    };

    private static void RegisterWorkflows(RpcDispatcher dispatcher, TemporalEngine engine)
    {
        dispatcher.Register<StartWorkflowExecutionRequest>("StartWorkflowExecution", async (request, _) => await engine.Lifecycle.StartAsync(request));
        dispatcher.Register<SignalWithStartWorkflowExecutionRequest>("SignalWithStartWorkflowExecution", async (request, _) => await engine.Lifecycle.SignalWithStartAsync(request));
        dispatcher.Register<SignalWorkflowExecutionRequest>("SignalWorkflowExecution", async (request, _) => await engine.Signals.SignalAsync(request));
        dispatcher.Register<TerminateWorkflowExecutionRequest>("TerminateWorkflowExecution", async (request, _) => await engine.Lifecycle.TerminateAsync(request));
        dispatcher.Register<RequestCancelWorkflowExecutionRequest>("RequestCancelWorkflowExecution", async (request, _) => await engine.Lifecycle.RequestCancelAsync(request));
        dispatcher.Register<UpdateWorkflowExecutionRequest>("UpdateWorkflowExecution", async (request, cancellationToken) => await engine.Updates.UpdateAsync(request, cancellationToken));
        dispatcher.Register<ExecuteMultiOperationRequest>("ExecuteMultiOperation", async (request, cancellationToken) => await engine.UpdateWithStart.ExecuteAsync(request, cancellationToken));
        dispatcher.Register<PollWorkflowExecutionUpdateRequest>("PollWorkflowExecutionUpdate", async (request, cancellationToken) => await engine.Updates.PollAsync(request, cancellationToken));
        dispatcher.Register<QueryWorkflowRequest>("QueryWorkflow", async (request, cancellationToken) => await engine.Queries.QueryAsync(request, cancellationToken));
        dispatcher.Register<RespondQueryTaskCompletedRequest>("RespondQueryTaskCompleted", engine.Queries.Complete);
        dispatcher.Register<PollWorkflowTaskQueueRequest>("PollWorkflowTaskQueue", async (request, cancellationToken) => await engine.WorkflowTasks.PollAsync(request, cancellationToken));
        dispatcher.Register<RespondWorkflowTaskCompletedRequest>("RespondWorkflowTaskCompleted", async (request, _) => await engine.WorkflowTasks.CompleteAsync(request));
        dispatcher.Register<RespondWorkflowTaskFailedRequest>("RespondWorkflowTaskFailed", async (request, _) => await engine.WorkflowTasks.FailAsync(request));
        dispatcher.Register<PollActivityTaskQueueRequest>("PollActivityTaskQueue", async (request, cancellationToken) => await engine.Activities.PollAsync(request, cancellationToken));
        dispatcher.Register<RespondActivityTaskCompletedRequest>("RespondActivityTaskCompleted", (request, _) => engine.Activities.CompleteAsync(request));
        dispatcher.Register<RespondActivityTaskCompletedByIdRequest>("RespondActivityTaskCompletedById", (request, _) => engine.Activities.CompleteByIdAsync(request));
        dispatcher.Register<RespondActivityTaskFailedRequest>("RespondActivityTaskFailed", (request, _) => engine.Activities.FailAsync(request));
        dispatcher.Register<RespondActivityTaskFailedByIdRequest>("RespondActivityTaskFailedById", (request, _) => engine.Activities.FailByIdAsync(request));
        dispatcher.Register<RespondActivityTaskCanceledRequest>("RespondActivityTaskCanceled", (request, _) => engine.Activities.CancelAsync(request));
        dispatcher.Register<RespondActivityTaskCanceledByIdRequest>("RespondActivityTaskCanceledById", (request, _) => engine.Activities.CancelByIdAsync(request));
        dispatcher.Register<RecordActivityTaskHeartbeatRequest>("RecordActivityTaskHeartbeat", (request, _) => engine.Activities.HeartbeatAsync(request));
        dispatcher.Register<RecordActivityTaskHeartbeatByIdRequest>("RecordActivityTaskHeartbeatById", (request, _) => engine.Activities.HeartbeatByIdAsync(request));
        dispatcher.Register<PauseActivityRequest>("PauseActivity", async (request, _) => await engine.ActivityControls.PauseAsync(request));
        dispatcher.Register<UnpauseActivityRequest>("UnpauseActivity", async (request, _) => await engine.ActivityControls.UnpauseAsync(request));
        dispatcher.Register<ResetActivityRequest>("ResetActivity", async (request, _) => await engine.ActivityControls.ResetAsync(request));
        dispatcher.Register<UpdateActivityOptionsRequest>("UpdateActivityOptions", async (request, _) => await engine.ActivityControls.UpdateOptionsAsync(request));
        RegisterStandaloneActivities(dispatcher, engine);
        dispatcher.Register<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", async (request, cancellationToken) => await engine.Reader.GetHistoryAsync(request, cancellationToken));
        dispatcher.Register<GetWorkflowExecutionHistoryReverseRequest>("GetWorkflowExecutionHistoryReverse", engine.Reader.GetHistoryReverse);
        dispatcher.Register<DescribeWorkflowExecutionRequest>("DescribeWorkflowExecution", engine.Reader.Describe);
        dispatcher.Register<DescribeTaskQueueRequest>("DescribeTaskQueue", engine.Reader.DescribeTaskQueue);
        dispatcher.Register<ResetWorkflowExecutionRequest>("ResetWorkflowExecution", async (request, _) => await engine.Resets.ResetAsync(request));
        dispatcher.Register<ResetStickyTaskQueueRequest>("ResetStickyTaskQueue", engine.WorkflowTasks.ResetStickyTaskQueue);
        dispatcher.Register<ShutdownWorkerRequest>("ShutdownWorker", engine.WorkflowTasks.ShutdownWorker);
        dispatcher.Register<ListWorkflowExecutionsRequest>("ListWorkflowExecutions", request => engine.GetNamespace(request.Namespace).Visibility.List(request));
        dispatcher.Register<CountWorkflowExecutionsRequest>("CountWorkflowExecutions", request => engine.GetNamespace(request.Namespace).Visibility.Count(request));
        dispatcher.Register<GetSearchAttributesRequest>("GetSearchAttributes", _ =>
        {
            var response = new GetSearchAttributesResponse();
            foreach (var ns in engine.Namespaces)
            {
                response.Keys.Add(ns.SearchAttributes.Custom.ToDictionary());
            }
            return response;
        });
    }

    private static void RegisterStandaloneActivities(RpcDispatcher dispatcher, TemporalEngine engine)
    {
        var activities = engine.StandaloneActivities;
        dispatcher.Register<StartActivityExecutionRequest>("StartActivityExecution", async (request, _) => await activities.StartAsync(request));
        dispatcher.Register<DescribeActivityExecutionRequest>("DescribeActivityExecution", async (request, cancellationToken) => await activities.DescribeAsync(request, cancellationToken));
        dispatcher.Register<PollActivityExecutionRequest>("PollActivityExecution", async (request, cancellationToken) => await activities.PollAsync(request, cancellationToken));
        dispatcher.Register<ListActivityExecutionsRequest>("ListActivityExecutions", activities.List);
        dispatcher.Register<CountActivityExecutionsRequest>("CountActivityExecutions", activities.Count);
        dispatcher.Register<RequestCancelActivityExecutionRequest>("RequestCancelActivityExecution", async (request, _) => await activities.RequestCancelAsync(request));
        dispatcher.Register<TerminateActivityExecutionRequest>("TerminateActivityExecution", async (request, _) => await activities.TerminateAsync(request));
        // With a workflow id these name a workflow's activity, which PauseActivity / UnpauseActivity already serve.
        dispatcher.Register<PauseActivityExecutionRequest>("PauseActivityExecution", async (request, _) =>
        {
            if (request.WorkflowId.Length == 0)
            {
                return await activities.PauseAsync(request);
            }
            await engine.ActivityControls.PauseAsync(new PauseActivityRequest
            {
                Namespace = request.Namespace,
                Execution = new WorkflowExecution { WorkflowId = request.WorkflowId, RunId = request.RunId },
                Id = request.ActivityId,
                Identity = request.Identity,
                Reason = request.Reason,
                RequestId = request.RequestId,
            });
            return new PauseActivityExecutionResponse();
        });
        dispatcher.Register<UnpauseActivityExecutionRequest>("UnpauseActivityExecution", async (request, _) =>
        {
            if (request.WorkflowId.Length == 0)
            {
                return await activities.UnpauseAsync(request);
            }
            await engine.ActivityControls.UnpauseAsync(new UnpauseActivityRequest
            {
                Namespace = request.Namespace,
                Execution = new WorkflowExecution { WorkflowId = request.WorkflowId, RunId = request.RunId },
                Id = request.ActivityId,
                Identity = request.Identity,
                Jitter = request.Jitter,
            });
            return new UnpauseActivityExecutionResponse();
        });
        dispatcher.Register<DeleteActivityExecutionRequest>("DeleteActivityExecution", async (request, _) => await activities.DeleteAsync(request));
    }

    private static void RegisterOperator(RpcDispatcher dispatcher, TemporalEngine engine)
    {
        dispatcher.Register<AddSearchAttributesRequest>("AddSearchAttributes", async (request, _) =>
        {
            IMessage response = engine.GetNamespace(request.Namespace).SearchAttributes.AddSearchAttributes(request);
            await engine.PersistNamespaceAsync(engine.GetNamespace(request.Namespace));
            return response;
        });
        dispatcher.Register<RemoveSearchAttributesRequest>("RemoveSearchAttributes", async (request, _) =>
        {
            IMessage response = engine.GetNamespace(request.Namespace).SearchAttributes.RemoveSearchAttributes(request);
            await engine.PersistNamespaceAsync(engine.GetNamespace(request.Namespace));
            return response;
        });
        dispatcher.Register<ListSearchAttributesRequest>("ListSearchAttributes", request => engine.GetNamespace(request.Namespace).SearchAttributes.ListSearchAttributes(request));
    }

    private static void RegisterTestService(RpcDispatcher dispatcher, EngineClock clock)
    {
        dispatcher.Register<LockTimeSkippingRequest>("LockTimeSkipping", _ =>
        {
            clock.Lock();
            return new LockTimeSkippingResponse();
        });
        dispatcher.Register<UnlockTimeSkippingRequest>("UnlockTimeSkipping", _ => clock.Unlock()
            ? new UnlockTimeSkippingResponse()
            : throw TemporalErrors.FailedPrecondition("Time skipping is not locked"));
        dispatcher.Register<SleepRequest>("Sleep", async (request, cancellationToken) =>
        {
            await clock.SleepUntilAsync(clock.UtcNow + request.Duration.ToTimeSpan(), cancellationToken);
            return new SleepResponse();
        });
        dispatcher.Register<SleepUntilRequest>("SleepUntil", async (request, cancellationToken) =>
        {
            await clock.SleepUntilAsync(request.Timestamp.ToDateTime(), cancellationToken);
            return new SleepResponse();
        });
        dispatcher.Register<SleepRequest>("UnlockTimeSkippingWithSleep", async (request, cancellationToken) =>
        {
            await clock.UnlockedSleepAsync(request.Duration.ToTimeSpan(), cancellationToken);
            return new SleepResponse();
        });
        dispatcher.Register<Empty>("GetCurrentTime", _ => new GetCurrentTimeResponse { Time = Timestamp.FromDateTime(clock.UtcNow) });
    }
}
