using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Engine;
using Payments.DevServer.Visibility;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Schedule.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Schedules;

/// <summary>
/// Temporal's schedule calls (create, describe, update, patch, delete, list, matching times) over the registry; each
/// change is stored before it is answered, and a restart of the durable mode picks the schedules up where they were.
/// </summary>
internal sealed class ScheduleService
{
    private const int DescribedFutureTimes = 10;
    private const int ListedFutureTimes = 5;

    private readonly TemporalEngine _engine;
    private readonly ScheduleRegistry _registry;
    private readonly ScheduleActions _actions;
    private readonly ILogger _logger;

    public ScheduleService(TemporalEngine engine, ScheduleRegistry registry, ILogger<ScheduleService> logger)
    {
        _engine = engine;
        _registry = registry;
        _logger = logger;
        _actions = new ScheduleActions(engine, registry, logger);
    }

    /// <summary>After the engine's own restore: reloads the stored schedules, settles workflows that closed meanwhile and catches up.</summary>
    public async Task RestoreAsync()
    {
        var stored = _registry.LoadStored();
        foreach (var record in stored)
        {
            _registry.Add(record);
        }
        foreach (var record in stored)
        {
            await WithGateAsync(async () =>
            {
                foreach (var running in record.Info.RunningWorkflows.ToList())
                {
                    var chain = _engine.FindNamespace(record.Namespace)?.Chains.GetValueOrDefault(running.WorkflowId);
                    if (chain?.Current is { IsRunning: false } closed)
                    {
                        await _actions.OnWorkflowClosedAsync(record, new ClosedWorkflow(closed.WorkflowId, closed.Status, closed.CloseEvent!));
                    }
                }
                await _actions.ProcessAsync(record);
            });
        }
        if (stored.Count > 0)
        {
            _logger.LogInformation("Restored {Schedules} schedules", stored.Count);
        }
    }

    public Task<CreateScheduleResponse> CreateAsync(CreateScheduleRequest request) => WithGateAsync(async () =>
    {
        var ns = _engine.GetNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.ScheduleId))
        {
            throw TemporalErrors.InvalidArgument("ScheduleId is not set on request.");
        }
        if (_registry.Find(ns.Name, request.ScheduleId) is not null)
        {
            throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.AlreadyExists, "schedule with this ID is already registered"));
        }
        ns.SearchAttributes.Validate(request.SearchAttributes);
        var now = _engine.Clock.UtcNow;
        var record = new ScheduleRecord(ns.Name, request.ScheduleId)
        {
            Memo = request.Memo,
            SearchAttributes = request.SearchAttributes,
            ConflictToken = 1,
            ProcessedUntil = now,
            Info = new ScheduleInfo { CreateTime = Timestamp.FromDateTime(now) },
        };
        SetSchedule(record, request.Schedule);
        _registry.Add(record);
        if (request.InitialPatch is { } patch)
        {
            ApplyPatch(record, patch);
        }
        await _actions.ProcessAsync(record);
        return new CreateScheduleResponse { ConflictToken = Token(record) };
    });

    public DescribeScheduleResponse Describe(DescribeScheduleRequest request)
    {
        var record = Get(request.Namespace, request.ScheduleId);
        var info = record.Info.Clone();
        info.FutureActionTimes.Add(FutureTimes(record, DescribedFutureTimes));
        info.BufferSize = record.Buffer.Count;
        return new DescribeScheduleResponse
        {
            Schedule = record.Schedule.Clone(),
            Info = info,
            Memo = record.Memo,
            SearchAttributes = record.SearchAttributes,
            ConflictToken = Token(record),
        };
    }

    public Task<UpdateScheduleResponse> UpdateAsync(UpdateScheduleRequest request) => WithGateAsync(async () =>
    {
        var record = Get(request.Namespace, request.ScheduleId);
        if (!request.ConflictToken.IsEmpty && !request.ConflictToken.Equals(Token(record)))
        {
            throw TemporalErrors.FailedPrecondition("mismatched conflict token");
        }
        if (request.SearchAttributes is { } searchAttributes)
        {
            _engine.GetNamespace(request.Namespace).SearchAttributes.Validate(searchAttributes);
            record.SearchAttributes = searchAttributes;
        }
        SetSchedule(record, request.Schedule);
        record.Info.UpdateTime = Timestamp.FromDateTime(_engine.Clock.UtcNow);
        record.ConflictToken++;
        await _actions.ProcessAsync(record);
        return new UpdateScheduleResponse();
    });

    public Task<PatchScheduleResponse> PatchAsync(PatchScheduleRequest request) => WithGateAsync(async () =>
    {
        var record = Get(request.Namespace, request.ScheduleId);
        ApplyPatch(record, request.Patch ?? new SchedulePatch());
        record.Info.UpdateTime = Timestamp.FromDateTime(_engine.Clock.UtcNow);
        await _actions.ProcessAsync(record);
        return new PatchScheduleResponse();
    });

    public Task<DeleteScheduleResponse> DeleteAsync(DeleteScheduleRequest request) => WithGateAsync(async () =>
    {
        var record = Get(request.Namespace, request.ScheduleId);
        record.Wakeup?.Cancel();
        _registry.Remove(record);
        await _registry.PersistAsync(record, deleted: true);
        return new DeleteScheduleResponse();
    });

    /// <summary>Schedules matching the visibility query (schedule search attributes and TemporalSchedulePaused), by id.</summary>
    public ListSchedulesResponse List(ListSchedulesRequest request)
    {
        var ns = _engine.GetNamespace(request.Namespace);
        var query = VisibilityQuery.Parse(request.Query, ns.SearchAttributes);
        var after = request.NextPageToken.IsEmpty ? null : request.NextPageToken.ToStringUtf8();
        var pageSize = request.MaximumPageSize is > 0 and < VisibilityStore.MaxPageSize ? request.MaximumPageSize : VisibilityStore.MaxPageSize;
        var matching = _registry.InNamespace(ns.Name)
            .Where(schedule => after is null || string.CompareOrdinal(schedule.ScheduleId, after) > 0)
            .Where(schedule => query.Matches(VisibilityView(schedule)))
            .Take(pageSize + 1)
            .ToList();
        var response = new ListSchedulesResponse();
        foreach (var record in matching.Take(pageSize))
        {
            response.Schedules.Add(new ScheduleListEntry
            {
                ScheduleId = record.ScheduleId,
                Memo = record.Memo,
                SearchAttributes = record.SearchAttributes,
                Info = new ScheduleListInfo
                {
                    Spec = record.Schedule.Spec,
                    WorkflowType = record.Schedule.Action?.StartWorkflow?.WorkflowType,
                    Notes = record.Schedule.State?.Notes ?? "",
                    Paused = record.IsPaused,
                    RecentActions = { record.Info.RecentActions },
                    FutureActionTimes = { FutureTimes(record, ListedFutureTimes) },
                },
            });
        }
        if (matching.Count > pageSize)
        {
            response.NextPageToken = ByteString.CopyFromUtf8(matching[pageSize - 1].ScheduleId);
        }
        return response;
    }

    public ListScheduleMatchingTimesResponse MatchingTimes(ListScheduleMatchingTimesRequest request)
    {
        var record = Get(request.Namespace, request.ScheduleId);
        var response = new ListScheduleMatchingTimesResponse();
        var times = record.Spec.Between(request.StartTime.ToDateTime(), request.EndTime.ToDateTime()).Take(1000);
        response.StartTime.Add(times.Select(time => Timestamp.FromDateTime(time.Actual)));
        return response;
    }

    private ScheduleRecord Get(string ns, string scheduleId) =>
        _registry.Find(_engine.GetNamespace(ns).Name, scheduleId) ?? throw TemporalErrors.NotFound($"schedule {scheduleId} not found");

    private static void SetSchedule(ScheduleRecord record, Schedule? schedule)
    {
        var start = schedule?.Action?.StartWorkflow;
        if (start is null || string.IsNullOrEmpty(start.WorkflowId) || string.IsNullOrEmpty(start.WorkflowType?.Name) || string.IsNullOrEmpty(start.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("Schedule action must start a workflow with an id, a type and a task queue.");
        }
        var stored = schedule!.Clone();
        try
        {
            stored.Spec = CompiledSpec.Canonicalize(schedule.Spec ?? new ScheduleSpec());
        }
        catch (FormatException invalid)
        {
            throw TemporalErrors.InvalidArgument($"Invalid schedule spec: {invalid.Message}");
        }
        record.Schedule = stored;
        record.Spec = CompiledSpec.Compile(stored.Spec);
    }

    private void ApplyPatch(ScheduleRecord record, SchedulePatch patch)
    {
        var now = _engine.Clock.UtcNow;
        if (patch.TriggerImmediately is { } trigger)
        {
            var overlap = trigger.OverlapPolicy == ScheduleOverlapPolicy.Unspecified ? record.OverlapPolicy : trigger.OverlapPolicy;
            record.Buffer.Add(new BufferedStart(now, now, overlap, Manual: true));
        }
        foreach (var backfill in patch.BackfillRequest)
        {
            var overlap = backfill.OverlapPolicy == ScheduleOverlapPolicy.Unspecified ? record.OverlapPolicy : backfill.OverlapPolicy;
            foreach (var time in record.Spec.Between(backfill.StartTime.ToDateTime().AddTicks(-1), backfill.EndTime.ToDateTime()))
            {
                record.Buffer.Add(new BufferedStart(time.Nominal, time.Actual, overlap, Manual: true));
            }
        }
        if (!string.IsNullOrEmpty(patch.Pause) || !string.IsNullOrEmpty(patch.Unpause))
        {
            record.Schedule.State ??= new ScheduleState();
            record.Schedule.State.Paused = !string.IsNullOrEmpty(patch.Pause);
            record.Schedule.State.Notes = string.IsNullOrEmpty(patch.Pause) ? patch.Unpause : patch.Pause;
        }
    }

    private static IEnumerable<Timestamp> FutureTimes(ScheduleRecord record, int count)
    {
        if (!record.HasActionsLeft)
        {
            return [];
        }
        var times = new List<Timestamp>();
        var after = record.ProcessedUntil;
        while (times.Count < count && record.Spec.Next(after) is { } next)
        {
            times.Add(Timestamp.FromDateTime(next.Actual));
            after = next.Actual;
        }
        return times;
    }

    /// <summary>How visibility sees a schedule: its id as the workflow id, its search attributes and whether it is paused.</summary>
    private static WorkflowExecutionInfo VisibilityView(ScheduleRecord record)
    {
        var searchAttributes = record.SearchAttributes?.Clone() ?? new SearchAttributes();
        searchAttributes.IndexedFields["TemporalSchedulePaused"] = SearchAttributeValues.Encode(record.IsPaused, IndexedValueType.Bool);
        return new WorkflowExecutionInfo
        {
            Execution = new WorkflowExecution { WorkflowId = record.ScheduleId, RunId = "" },
            Type = record.Schedule.Action?.StartWorkflow?.WorkflowType,
            StartTime = record.Info.CreateTime,
            Status = WorkflowExecutionStatus.Running,
            SearchAttributes = searchAttributes,
            Memo = record.Memo,
        };
    }

    private static ByteString Token(ScheduleRecord record) => ByteString.CopyFrom(BitConverter.GetBytes(record.ConflictToken));

    private async Task<T> WithGateAsync<T>(Func<Task<T>> work)
    {
        await _registry.Gate.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _registry.Gate.Release();
        }
    }

    private Task WithGateAsync(Func<Task> work) => WithGateAsync(async () =>
    {
        await work();
        return true;
    });
}
