using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Payments.DevServer.Engine;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.TestService.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Hosting;

/// <summary>Binds the Temporal method names to the engine.</summary>
internal static class TemporalHandlers
{
    public const string ServerVersion = "1.27.0";

    public static void Register(RpcDispatcher d, TemporalEngine engine)
    {
        RegisterFrontend(d, engine);
        RegisterWorkflows(d, engine);
        RegisterOperator(d, engine);
        if (engine.Clock.TimeSkipping)
        {
            RegisterTestService(d, engine.Clock);
        }
    }

    private static void RegisterFrontend(RpcDispatcher d, TemporalEngine engine)
    {
        d.Register<GetSystemInfoRequest>("GetSystemInfo", _ => new GetSystemInfoResponse
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
        d.Register<GetClusterInfoRequest>("GetClusterInfo", _ => new GetClusterInfoResponse
        {
            ServerVersion = ServerVersion,
            ClusterName = "active",
            ClusterId = "payments-devserver",
            HistoryShardCount = 1,
            PersistenceStore = engine.Store is null ? "memory" : "sqlite",
            VisibilityStore = "memory",
        });
        d.Register<DescribeNamespaceRequest>("DescribeNamespace", r => Describe(
            string.IsNullOrEmpty(r.Id) ? engine.GetNamespace(r.Namespace) : engine.FindNamespaceById(r.Id) ?? throw TemporalErrors.NamespaceNotFound(r.Id)));
        d.Register<ListNamespacesRequest>("ListNamespaces", _ =>
        {
            var response = new ListNamespacesResponse();
            response.Namespaces.Add(engine.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal).Select(Describe));
            return response;
        });
        d.Register<RegisterNamespaceRequest>("RegisterNamespace", r =>
        {
            if (engine.Namespaces.Any(n => n.Name == r.Namespace))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.AlreadyExists, "Namespace already exists."));
            }
            engine.AddNamespace(r.Namespace);
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
            Capabilities = new NamespaceInfo.Types.Capabilities { SyncUpdate = true, AsyncUpdate = true, EagerWorkflowStart = false },
        },
        Config = new NamespaceConfig { WorkflowExecutionRetentionTtl = Duration.FromTimeSpan(TimeSpan.FromDays(1)) },
    };

    private static void RegisterWorkflows(RpcDispatcher d, TemporalEngine e)
    {
        d.Register<StartWorkflowExecutionRequest>("StartWorkflowExecution", async (r, _) => await e.StartWorkflowAsync(r));
        d.Register<SignalWithStartWorkflowExecutionRequest>("SignalWithStartWorkflowExecution", async (r, _) => await e.SignalWithStartAsync(r));
        d.Register<SignalWorkflowExecutionRequest>("SignalWorkflowExecution", async (r, _) => await e.SignalAsync(r));
        d.Register<TerminateWorkflowExecutionRequest>("TerminateWorkflowExecution", async (r, _) => await e.TerminateAsync(r));
        d.Register<RequestCancelWorkflowExecutionRequest>("RequestCancelWorkflowExecution", async (r, _) => await e.RequestCancelAsync(r));
        d.Register<UpdateWorkflowExecutionRequest>("UpdateWorkflowExecution", async (r, ct) => await e.UpdateAsync(r, ct));
        d.Register<PollWorkflowExecutionUpdateRequest>("PollWorkflowExecutionUpdate", async (r, ct) => await e.PollUpdateAsync(r, ct));
        d.Register<QueryWorkflowRequest>("QueryWorkflow", async (r, ct) => await e.QueryAsync(r, ct));
        d.Register<RespondQueryTaskCompletedRequest>("RespondQueryTaskCompleted", e.CompleteQueryTask);
        d.Register<PollWorkflowTaskQueueRequest>("PollWorkflowTaskQueue", async (r, ct) => await e.PollWorkflowTaskAsync(r, ct));
        d.Register<RespondWorkflowTaskCompletedRequest>("RespondWorkflowTaskCompleted", async (r, _) => await e.CompleteWorkflowTaskAsync(r));
        d.Register<RespondWorkflowTaskFailedRequest>("RespondWorkflowTaskFailed", async (r, _) => await e.FailWorkflowTaskAsync(r));
        d.Register<PollActivityTaskQueueRequest>("PollActivityTaskQueue", async (r, ct) => await e.PollActivityTaskAsync(r, ct));
        d.Register<RespondActivityTaskCompletedRequest>("RespondActivityTaskCompleted", (r, _) => e.CompleteActivityAsync(r));
        d.Register<RespondActivityTaskCompletedByIdRequest>("RespondActivityTaskCompletedById", (r, _) => e.CompleteActivityByIdAsync(r));
        d.Register<RespondActivityTaskFailedRequest>("RespondActivityTaskFailed", (r, _) => e.FailActivityAsync(r));
        d.Register<RespondActivityTaskFailedByIdRequest>("RespondActivityTaskFailedById", (r, _) => e.FailActivityByIdAsync(r));
        d.Register<RespondActivityTaskCanceledRequest>("RespondActivityTaskCanceled", (r, _) => e.CancelActivityAsync(r));
        d.Register<RespondActivityTaskCanceledByIdRequest>("RespondActivityTaskCanceledById", (r, _) => e.CancelActivityByIdAsync(r));
        d.Register<RecordActivityTaskHeartbeatRequest>("RecordActivityTaskHeartbeat", (r, _) => e.HeartbeatAsync(r));
        d.Register<RecordActivityTaskHeartbeatByIdRequest>("RecordActivityTaskHeartbeatById", (r, _) => e.HeartbeatByIdAsync(r));
        d.Register<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", async (r, ct) => await e.GetHistoryAsync(r, ct));
        d.Register<GetWorkflowExecutionHistoryReverseRequest>("GetWorkflowExecutionHistoryReverse", e.GetHistoryReverse);
        d.Register<DescribeWorkflowExecutionRequest>("DescribeWorkflowExecution", e.Describe);
        d.Register<DescribeTaskQueueRequest>("DescribeTaskQueue", e.DescribeTaskQueue);
        d.Register<ResetStickyTaskQueueRequest>("ResetStickyTaskQueue", e.ResetStickyTaskQueue);
        d.Register<ShutdownWorkerRequest>("ShutdownWorker", e.ShutdownWorker);
        d.Register<ListWorkflowExecutionsRequest>("ListWorkflowExecutions", r => e.GetNamespace(r.Namespace).Visibility.List(r));
        d.Register<CountWorkflowExecutionsRequest>("CountWorkflowExecutions", r => e.GetNamespace(r.Namespace).Visibility.Count(r));
        d.Register<GetSearchAttributesRequest>("GetSearchAttributes", _ =>
        {
            var response = new GetSearchAttributesResponse();
            foreach (var ns in e.Namespaces)
            {
                response.Keys.Add(ns.SearchAttributes.Custom.ToDictionary());
            }
            return response;
        });
    }

    private static void RegisterOperator(RpcDispatcher d, TemporalEngine e)
    {
        d.Register<AddSearchAttributesRequest>("AddSearchAttributes", async (r, _) =>
        {
            IMessage response = e.GetNamespace(r.Namespace).SearchAttributes.AddSearchAttributes(r);
            await e.PersistNamespaceAsync(e.GetNamespace(r.Namespace));
            return response;
        });
        d.Register<RemoveSearchAttributesRequest>("RemoveSearchAttributes", async (r, _) =>
        {
            IMessage response = e.GetNamespace(r.Namespace).SearchAttributes.RemoveSearchAttributes(r);
            await e.PersistNamespaceAsync(e.GetNamespace(r.Namespace));
            return response;
        });
        d.Register<ListSearchAttributesRequest>("ListSearchAttributes", r => e.GetNamespace(r.Namespace).SearchAttributes.ListSearchAttributes(r));
    }

    private static void RegisterTestService(RpcDispatcher d, EngineClock clock)
    {
        d.Register<LockTimeSkippingRequest>("LockTimeSkipping", _ =>
        {
            clock.Lock();
            return new LockTimeSkippingResponse();
        });
        d.Register<UnlockTimeSkippingRequest>("UnlockTimeSkipping", _ => clock.Unlock()
            ? new UnlockTimeSkippingResponse()
            : throw TemporalErrors.FailedPrecondition("Time skipping is not locked"));
        d.Register<SleepRequest>("Sleep", async (r, ct) =>
        {
            await clock.SleepUntilAsync(clock.UtcNow + r.Duration.ToTimeSpan(), ct);
            return new SleepResponse();
        });
        d.Register<SleepUntilRequest>("SleepUntil", async (r, ct) =>
        {
            await clock.SleepUntilAsync(r.Timestamp.ToDateTime(), ct);
            return new SleepResponse();
        });
        d.Register<SleepRequest>("UnlockTimeSkippingWithSleep", async (r, ct) =>
        {
            await clock.UnlockedSleepAsync(r.Duration.ToTimeSpan(), ct);
            return new SleepResponse();
        });
        d.Register<Empty>("GetCurrentTime", _ => new GetCurrentTimeResponse { Time = Timestamp.FromDateTime(clock.UtcNow) });
    }
}
