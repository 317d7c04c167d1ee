using Temporalio.Api.Enums.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>
/// Updates across a SIGKILL of the durable server, as on Temporal: one the workflow accepted before completes after the
/// restart and its outcome reaches a client polling by update id; one only admitted is lost (NotFound).
/// </summary>
public sealed class UpdateDurability_Specs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devserver-updates-").FullName;

    private string DatabaseFile => Path.Combine(_directory, "temporal.db");

    [Fact]
    public async Task KilledServer_UpdateAcceptedBefore_CompletesAfterRestartAndAdmittedOneIsLost()
    {
        var port = DurableServerProcess.FreePort();
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        using (var first = await DurableServerProcess.StartAsync(port, DatabaseFile))
        {
            var client = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
            using (var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<GatedUpdateWorkflow>()))
            {
                await worker.ExecuteAsync(async () =>
                {
                    var handle = await client.StartWorkflowAsync((GatedUpdateWorkflow wf) => wf.RunAsync(), new(id, queue));
                    await handle.StartUpdateAsync(wf => wf.PassGateAsync(), new(WorkflowUpdateStage.Accepted) { Id = "accepted" });
                });
            }
            await client.WorkflowService.UpdateWorkflowExecutionAsync(new UpdateWorkflowExecutionRequest
            {
                Namespace = client.Options.Namespace,
                WorkflowExecution = new() { WorkflowId = id },
                WaitPolicy = new WaitPolicy { LifecycleStage = UpdateWorkflowExecutionLifecycleStage.Admitted },
                Request = new Request { Meta = new Meta { UpdateId = "admitted" }, Input = new Input { Name = "PassGate" } },
            });
            first.Kill();
        }

        using var second = await DurableServerProcess.StartAsync(port, DatabaseFile);
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddWorkflow<GatedUpdateWorkflow>());
        var outcome = await newWorker.ExecuteAsync(async () =>
        {
            var handle = restarted.GetWorkflowHandle<GatedUpdateWorkflow>(id);
            await handle.SignalAsync(wf => wf.OpenAsync());
            var result = await handle.GetUpdateHandle<string>("accepted").GetResultAsync();
            await handle.GetResultAsync();
            return result;
        });
        Assert.Equal("passed", outcome);
        var lost = await Assert.ThrowsAsync<RpcException>(() => restarted.WorkflowService.PollWorkflowExecutionUpdateAsync(new PollWorkflowExecutionUpdateRequest
        {
            Namespace = restarted.Options.Namespace,
            UpdateRef = new UpdateRef { WorkflowExecution = new() { WorkflowId = id }, UpdateId = "admitted" },
            WaitPolicy = new WaitPolicy { LifecycleStage = UpdateWorkflowExecutionLifecycleStage.Completed },
        }));
        Assert.Equal(RpcException.StatusCode.NotFound, lost.Code);
        second.Kill();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>An update that waits for a gate a signal opens; the run ends once the gate is open and every update is done.</summary>
[Workflow]
public class GatedUpdateWorkflow
{
    private bool _open;

    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => _open && Workflow.AllHandlersFinished);

    [WorkflowUpdate]
    public async Task<string> PassGateAsync()
    {
        await Workflow.WaitConditionAsync(() => _open);
        return "passed";
    }

    [WorkflowSignal]
    public Task OpenAsync()
    {
        _open = true;
        return Task.CompletedTask;
    }
}
