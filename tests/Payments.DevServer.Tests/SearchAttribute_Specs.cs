using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class SearchAttribute_Specs(InProcessServerFixture server)
{
    private static readonly SearchAttributeKey<string> MerchantId = SearchAttributeKey.CreateKeyword("MerchantId");

    private Task<AddSearchAttributesResponse> RegisterAsync() => server.Client.Connection.OperatorService.AddSearchAttributesAsync(new AddSearchAttributesRequest
    {
        Namespace = server.Client.Options.Namespace,
        SearchAttributes = { ["MerchantId"] = IndexedValueType.Keyword, ["PaymentStatus"] = IndexedValueType.Keyword },
    });

    [Fact]
    public async Task StartAndUpsert_RegisteredAttributes_VisibleInDescription()
    {
        await RegisterAsync();
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpsertStatusWorkflow>());
        var handle = await worker.ExecuteAsync(async () =>
        {
            var started = await server.Client.StartWorkflowAsync((UpsertStatusWorkflow wf) => wf.RunAsync("SUSPENDED"), new(Guid.NewGuid().ToString(), queue)
            {
                TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(MerchantId, "m-1").ToSearchAttributeCollection(),
            });
            await started.GetResultAsync();
            return started;
        });
        var description = await handle.DescribeAsync();
        Assert.Equal("m-1", description.TypedSearchAttributes.Get(MerchantId));
        Assert.Equal("SUSPENDED", description.TypedSearchAttributes.Get(UpsertStatusWorkflow.Status));
        Assert.Equal("SUSPENDED", await description.Memo["note"].ToValueAsync<string>());
    }

    [Fact]
    public async Task Start_UnregisteredAttribute_InvalidArgument()
    {
        var unknown = SearchAttributeKey.CreateKeyword("NeverRegistered");
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.StartWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("x"), new(Guid.NewGuid().ToString(), TestQueues.Unique())
        {
            TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(unknown, "v").ToSearchAttributeCollection(),
        }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Equal("Namespace default has no mapping defined for search attribute NeverRegistered", error.Message);
    }

    [Fact]
    public async Task Patched_NewWorkflow_TakesNewBranchAndReplays()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<PatchedWorkflow>());
        var handle = await worker.ExecuteAsync(async () =>
        {
            var started = await server.Client.StartWorkflowAsync((PatchedWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            Assert.Equal("v2", await started.GetResultAsync());
            return started;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.MarkerRecorded);
        var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<PatchedWorkflow>()).ReplayWorkflowAsync(history);
        Assert.Null(replay.ReplayFailure);
    }

    [Fact]
    public async Task WaitCondition_SignalBeforeTimeout_TimerCancelled()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<WaitOrTimeoutWorkflow>());
        var (result, history) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((WaitOrTimeoutWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(1)), new(Guid.NewGuid().ToString(), queue));
            // Started, task scheduled/started/completed, timer started: only then is there a timer to cancel.
            while ((await handle.DescribeAsync()).HistoryLength < 5)
            {
                await Task.Delay(20);
            }
            await handle.SignalAsync(wf => wf.ReleaseAsync());
            return (await handle.GetResultAsync(), await handle.FetchHistoryAsync());
        });
        Assert.Equal("signalled", result);
        Assert.Contains(history.Events, e => e.EventType == EventType.TimerCanceled);
    }
}
