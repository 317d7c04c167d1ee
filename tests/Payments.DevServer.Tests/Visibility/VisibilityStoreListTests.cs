using Google.Protobuf;
using Grpc.Core;
using Payments.DevServer.Visibility;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Filter.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Listing executions: Temporal's default order, ORDER BY, paging, upserts and the legacy open/closed lists.</summary>
public class VisibilityStoreListTests
{
    private readonly VisibilityStore _store = new(Executions.Registry());

    [Fact]
    public void List_DefaultOrder_RunningNewestFirstThenClosedByCloseTime()
    {
        _store.Upsert(Executions.Info("closed-early", WorkflowExecutionStatus.Completed, startMinute: 0, closeMinute: 50));
        _store.Upsert(Executions.Info("running-old", startMinute: 1));
        _store.Upsert(Executions.Info("closed-late", WorkflowExecutionStatus.Failed, startMinute: 2, closeMinute: 60));
        _store.Upsert(Executions.Info("running-new", startMinute: 3));

        var ids = ListIds("");

        Assert.Equal(["running-new", "running-old", "closed-late", "closed-early"], ids);
    }

    [Fact]
    public void List_OrderBy_SortsByTheFieldsThenTheDefaultOrder()
    {
        _store.Upsert(Executions.Info("b", attributes: builder => builder.Set(Executions.AmountCents, 5)));
        _store.Upsert(Executions.Info("a", startMinute: 1, attributes: builder => builder.Set(Executions.AmountCents, 5)));
        _store.Upsert(Executions.Info("c", startMinute: 2, attributes: builder => builder.Set(Executions.AmountCents, 1)));
        _store.Upsert(Executions.Info("none", startMinute: 3));

        Assert.Equal(["none", "c", "a", "b"], ListIds("ORDER BY AmountCents"));
        Assert.Equal(["a", "b", "c", "none"], ListIds("ORDER BY AmountCents DESC"));
        Assert.Equal(["a", "b", "c", "none"], ListIds("ORDER BY WorkflowId ASC"));
        Assert.Equal(["b", "a", "c"], ListIds("AmountCents > 0 ORDER BY StartTime"));
    }

    [Fact]
    public void List_PagedInTwos_ReturnsEveryExecutionOnceInOrder()
    {
        for (var i = 0; i < 7; i++)
        {
            _store.Upsert(Executions.Info($"wf-{i}", startMinute: i));
        }

        var pages = ListAllPages("", pageSize: 2);

        Assert.Equal([2, 2, 2, 1], pages.Select(page => page.Count));
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"wf-{i}"), pages.SelectMany(page => page));
    }

    [Fact]
    public void List_PageExactlyFull_HasNoNextPageToken()
    {
        _store.Upsert(Executions.Info("a"));
        _store.Upsert(Executions.Info("b", startMinute: 1));

        var response = _store.List(new ListWorkflowExecutionsRequest { PageSize = 2 });

        Assert.Equal(2, response.Executions.Count);
        Assert.True(response.NextPageToken.IsEmpty);
    }

    [Fact]
    public void List_PagedWithFilterAndOrderBy_ReturnsEveryMatchOnce()
    {
        for (var i = 0; i < 9; i++)
        {
            _store.Upsert(Executions.Info($"wf-{i}", startMinute: i, attributes: builder => builder.Set(Executions.AmountCents, 100 - i)));
        }

        var pages = ListAllPages("AmountCents > 92 ORDER BY AmountCents", pageSize: 2);

        Assert.Equal(["wf-7", "wf-6", "wf-5", "wf-4", "wf-3", "wf-2", "wf-1", "wf-0"], pages.SelectMany(page => page));
    }

    [Fact]
    public void List_ExecutionsStartedBetweenPages_DoNotShiftLaterPages()
    {
        for (var i = 0; i < 4; i++)
        {
            _store.Upsert(Executions.Info($"wf-{i}", WorkflowExecutionStatus.Completed, startMinute: i, closeMinute: 10 + i));
        }
        var first = _store.List(new ListWorkflowExecutionsRequest { PageSize = 2 });

        _store.Upsert(Executions.Info("newcomer", startMinute: 99));
        var second = _store.List(new ListWorkflowExecutionsRequest { PageSize = 2, NextPageToken = first.NextPageToken });

        Assert.Equal(["wf-3", "wf-2"], first.Executions.Select(info => info.Execution.WorkflowId));
        Assert.Equal(["wf-1", "wf-0"], second.Executions.Select(info => info.Execution.WorkflowId));
    }

    [Fact]
    public void List_NoPageSize_ClampsToTheMaximumPage()
    {
        for (var i = 0; i < VisibilityStore.MaxPageSize + 5; i++)
        {
            _store.Upsert(Executions.Info($"wf-{i}", startMinute: i));
        }

        var response = _store.List(new ListWorkflowExecutionsRequest());

        Assert.Equal(VisibilityStore.MaxPageSize, response.Executions.Count);
        Assert.False(response.NextPageToken.IsEmpty);
    }

    [Fact]
    public void List_GarbagePageToken_IsInvalidArgument()
    {
        _store.Upsert(Executions.Info("a"));

        var error = Assert.Throws<RpcException>(() => _store.List(new ListWorkflowExecutionsRequest
        {
            NextPageToken = ByteString.CopyFromUtf8("not a token"),
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void List_MalformedQuery_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => _store.List(new ListWorkflowExecutionsRequest { Query = "WorkflowId = " }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("invalid query: malformed SQL query", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void List_GroupBy_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => _store.List(new ListWorkflowExecutionsRequest { Query = "GROUP BY ExecutionStatus" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void Upsert_SameRunClosing_ReplacesTheRecord()
    {
        _store.Upsert(Executions.Info("pay-1"));

        _store.Upsert(Executions.Info("pay-1", WorkflowExecutionStatus.Completed, closeMinute: 5,
            attributes: builder => builder.Set(Executions.CustomerId, "c-9")));

        Assert.Equal(1, _store.Total);
        Assert.Empty(ListIds("ExecutionStatus = 'Running'"));
        Assert.Equal(["pay-1"], ListIds("ExecutionStatus = 'Completed' AND CustomerId = 'c-9'"));
    }

    [Fact]
    public void Upsert_NewRunOfSameWorkflowId_KeepsBothRuns()
    {
        _store.Upsert(Executions.Info("pay-1", WorkflowExecutionStatus.ContinuedAsNew, runId: "r1", closeMinute: 1));
        _store.Upsert(Executions.Info("pay-1", runId: "r2", startMinute: 1));

        var runs = _store.List(new ListWorkflowExecutionsRequest { Query = "WorkflowId = 'pay-1'" }).Executions;

        Assert.Equal(["r2", "r1"], runs.Select(info => info.Execution.RunId));
    }

    [Fact]
    public void Upsert_CallerChangesItsInfoLater_StoredRecordStaysAsUpserted()
    {
        var info = Executions.Info("pay-1");
        _store.Upsert(info);

        info.Status = WorkflowExecutionStatus.Failed;

        Assert.Equal(WorkflowExecutionStatus.Running, _store.Get("pay-1", "run-pay-1")!.Status);
    }

    [Fact]
    public void Remove_StoredRun_IsNoLongerListed()
    {
        _store.Upsert(Executions.Info("pay-1"));
        _store.Upsert(Executions.Info("pay-2"));

        Assert.True(_store.Remove("pay-1", "run-pay-1"));
        Assert.False(_store.Remove("pay-1", "run-pay-1"));

        Assert.Equal(["pay-2"], ListIds(""));
        Assert.Empty(ListIds("WorkflowId = 'pay-1'"));
    }

    [Fact]
    public void Scan_WithQuery_ReturnsTheMatches()
    {
        _store.Upsert(Executions.Info("pay-1"));
        _store.Upsert(Executions.Info("pay-2", WorkflowExecutionStatus.Completed));

        var response = _store.Scan(new ScanWorkflowExecutionsRequest { Query = "ExecutionStatus = 'Completed'" });

        Assert.Equal(["pay-2"], response.Executions.Select(info => info.Execution.WorkflowId));
    }

    [Fact]
    public void ListOpen_WithTypeFilter_ReturnsRunningOfThatType()
    {
        _store.Upsert(Executions.Info("pay-1"));
        _store.Upsert(Executions.Info("notify-1", type: "MerchantNotification"));
        _store.Upsert(Executions.Info("pay-2", WorkflowExecutionStatus.Completed));

        var response = _store.ListOpen(new ListOpenWorkflowExecutionsRequest
        {
            TypeFilter = new WorkflowTypeFilter { Name = "PaymentCompletion" },
        });

        Assert.Equal(["pay-1"], response.Executions.Select(info => info.Execution.WorkflowId));
    }

    [Fact]
    public void ListClosed_WithStatusFilterAndCloseTimeRange_ReturnsMatches()
    {
        _store.Upsert(Executions.Info("pay-1"));
        _store.Upsert(Executions.Info("pay-2", WorkflowExecutionStatus.Failed, closeMinute: 5));
        _store.Upsert(Executions.Info("pay-3", WorkflowExecutionStatus.Failed, closeMinute: 50));
        _store.Upsert(Executions.Info("pay-4", WorkflowExecutionStatus.Completed, closeMinute: 6));

        var failed = _store.ListClosed(new ListClosedWorkflowExecutionsRequest
        {
            StatusFilter = new StatusFilter { Status = WorkflowExecutionStatus.Failed },
        });
        var closedEarly = _store.ListClosed(new ListClosedWorkflowExecutionsRequest
        {
            StartTimeFilter = new StartTimeFilter
            {
                EarliestTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(Executions.Epoch),
                LatestTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(Executions.Epoch.AddMinutes(10)),
            },
        });

        Assert.Equal(["pay-3", "pay-2"], failed.Executions.Select(info => info.Execution.WorkflowId));
        Assert.Equal(["pay-4", "pay-2"], closedEarly.Executions.Select(info => info.Execution.WorkflowId));
    }

    [Fact]
    public void ListOpen_EarliestAfterLatest_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => _store.ListOpen(new ListOpenWorkflowExecutionsRequest
        {
            StartTimeFilter = new StartTimeFilter
            {
                EarliestTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(Executions.Epoch.AddDays(1)),
                LatestTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(Executions.Epoch),
            },
        }));

        Assert.Equal("EarliestTime in StartTimeFilter should not be larger than LatestTime.", error.Status.Detail);
    }

    [Fact]
    public async Task Upsert_FromManyThreadsWhileListing_KeepsEveryExecution()
    {
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                _store.Upsert(Executions.Info($"wf-{writer}-{i}", startMinute: i));
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                _store.List(new ListWorkflowExecutionsRequest { PageSize = 10, Query = "ExecutionStatus = 'Running'" });
            }
        });

        await Task.WhenAll(writers.Append(reader));

        Assert.Equal(1000, _store.Count(new CountWorkflowExecutionsRequest()).Count);
    }

    private List<string> ListIds(string query) =>
        _store.List(new ListWorkflowExecutionsRequest { Query = query }).Executions.Select(info => info.Execution.WorkflowId).ToList();

    private List<List<string>> ListAllPages(string query, int pageSize)
    {
        var pages = new List<List<string>>();
        var token = ByteString.Empty;
        do
        {
            var response = _store.List(new ListWorkflowExecutionsRequest { Query = query, PageSize = pageSize, NextPageToken = token });
            pages.Add(response.Executions.Select(info => info.Execution.WorkflowId).ToList());
            token = response.NextPageToken;
        }
        while (!token.IsEmpty);
        return pages;
    }
}
