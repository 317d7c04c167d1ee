// Temporary stand-in for the "visibility" helper's devserver/Visibility/ (same names); dropped by the csproj once that folder exists.
using System.Collections.Concurrent;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Visibility;

public sealed class SearchAttributeRegistry
{
    private static readonly HashSet<string> BuiltIn = ["TemporalChangeVersion", "BinaryChecksums", "BuildIds", "TemporalScheduledById", "TemporalScheduledStartTime"];
    private readonly ConcurrentDictionary<string, IndexedValueType> _custom = new();

    public IReadOnlyDictionary<string, IndexedValueType> Custom => _custom;

    public void Register(string name, IndexedValueType type) => _custom[name] = type;

    public void Remove(string name) => _custom.TryRemove(name, out _);

    public void Validate(SearchAttributes attributes)
    {
        foreach (var name in attributes.IndexedFields.Keys)
        {
            if (!_custom.ContainsKey(name) && !BuiltIn.Contains(name))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.InvalidArgument, $"search attribute {name} is not defined"));
            }
        }
    }

    public AddSearchAttributesResponse AddSearchAttributes(AddSearchAttributesRequest request)
    {
        foreach (var (name, type) in request.SearchAttributes)
        {
            Register(name, type);
        }
        return new AddSearchAttributesResponse();
    }

    public RemoveSearchAttributesResponse RemoveSearchAttributes(RemoveSearchAttributesRequest request)
    {
        foreach (var name in request.SearchAttributes)
        {
            Remove(name);
        }
        return new RemoveSearchAttributesResponse();
    }

    public ListSearchAttributesResponse ListSearchAttributes(ListSearchAttributesRequest request)
    {
        var response = new ListSearchAttributesResponse();
        response.CustomAttributes.Add(_custom);
        return response;
    }
}

public sealed class VisibilityStore(SearchAttributeRegistry registry)
{
    private readonly ConcurrentDictionary<(string, string), WorkflowExecutionInfo> _rows = new();

    public SearchAttributeRegistry Registry { get; } = registry;

    public void Upsert(WorkflowExecutionInfo info) => _rows[(info.Execution.WorkflowId, info.Execution.RunId)] = info;

    public ListWorkflowExecutionsResponse List(ListWorkflowExecutionsRequest request)
    {
        var response = new ListWorkflowExecutionsResponse();
        response.Executions.Add(_rows.Values.OrderByDescending(r => r.StartTime.ToDateTime()));
        return response;
    }

    public CountWorkflowExecutionsResponse Count(CountWorkflowExecutionsRequest request) => new() { Count = _rows.Count };
}
