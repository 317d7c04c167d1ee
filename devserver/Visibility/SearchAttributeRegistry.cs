using System.Collections.Frozen;
using System.Collections.Immutable;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// The search attributes of one Temporal namespace: Temporal's system and predefined attributes plus the custom
/// ones registered through the OperatorService. Reads are lock-free snapshots; writes are serialized.
/// </summary>
public sealed class SearchAttributeRegistry(string namespaceName)
{
    /// <summary>Temporal keeps its own attributes under this prefix; no custom attribute may use it.</summary>
    public const string ReservedPrefix = "Temporal";

    /// <summary>Attributes the server keeps as execution fields; they cannot be set in SearchAttributes.</summary>
    public static readonly FrozenDictionary<string, IndexedValueType> System = new Dictionary<string, IndexedValueType>
    {
        [SearchAttributeNames.WorkflowId] = IndexedValueType.Keyword,
        [SearchAttributeNames.RunId] = IndexedValueType.Keyword,
        [SearchAttributeNames.WorkflowType] = IndexedValueType.Keyword,
        [SearchAttributeNames.StartTime] = IndexedValueType.Datetime,
        [SearchAttributeNames.ExecutionTime] = IndexedValueType.Datetime,
        [SearchAttributeNames.CloseTime] = IndexedValueType.Datetime,
        [SearchAttributeNames.ExecutionStatus] = IndexedValueType.Keyword,
        [SearchAttributeNames.TaskQueue] = IndexedValueType.Keyword,
        [SearchAttributeNames.HistoryLength] = IndexedValueType.Int,
        [SearchAttributeNames.ExecutionDuration] = IndexedValueType.Int,
        [SearchAttributeNames.StateTransitionCount] = IndexedValueType.Int,
        [SearchAttributeNames.HistorySizeBytes] = IndexedValueType.Int,
        [SearchAttributeNames.ParentWorkflowId] = IndexedValueType.Keyword,
        [SearchAttributeNames.ParentRunId] = IndexedValueType.Keyword,
        [SearchAttributeNames.RootWorkflowId] = IndexedValueType.Keyword,
        [SearchAttributeNames.RootRunId] = IndexedValueType.Keyword,
    }.ToFrozenDictionary();

    /// <summary>Attributes Temporal defines that SDKs and the server set inside SearchAttributes (patching, schedules, versioning).</summary>
    public static readonly FrozenDictionary<string, IndexedValueType> Predefined = new Dictionary<string, IndexedValueType>
    {
        ["TemporalChangeVersion"] = IndexedValueType.KeywordList,
        ["BinaryChecksums"] = IndexedValueType.KeywordList,
        ["BuildIds"] = IndexedValueType.KeywordList,
        ["BatcherNamespace"] = IndexedValueType.Keyword,
        ["BatcherUser"] = IndexedValueType.Keyword,
        ["TemporalScheduledStartTime"] = IndexedValueType.Datetime,
        ["TemporalScheduledById"] = IndexedValueType.Keyword,
        ["TemporalSchedulePaused"] = IndexedValueType.Bool,
        ["TemporalNamespaceDivision"] = IndexedValueType.Keyword,
        ["TemporalPauseInfo"] = IndexedValueType.KeywordList,
        ["TemporalReportedProblems"] = IndexedValueType.KeywordList,
        ["TemporalWorkerDeploymentVersion"] = IndexedValueType.Keyword,
        ["TemporalWorkflowVersioningBehavior"] = IndexedValueType.Keyword,
        ["TemporalWorkerDeployment"] = IndexedValueType.Keyword,
        ["TemporalUsedWorkerDeploymentVersions"] = IndexedValueType.KeywordList,
    }.ToFrozenDictionary();

    /// <summary>Field names Temporal's stores use internally; never search attribute names.</summary>
    private static readonly FrozenSet<string> Reserved = new[] { "NamespaceId", "MemoEncoding", "Memo", "VisibilityTaskKey" }.ToFrozenSet();

    /// <summary>How many custom attributes of each type Temporal's SQL visibility (its dev server's) can hold.</summary>
    private static readonly FrozenDictionary<IndexedValueType, int> CustomLimits = new Dictionary<IndexedValueType, int>
    {
        [IndexedValueType.Bool] = 3,
        [IndexedValueType.Int] = 3,
        [IndexedValueType.Double] = 3,
        [IndexedValueType.Datetime] = 3,
        [IndexedValueType.Keyword] = 10,
        [IndexedValueType.KeywordList] = 3,
        [IndexedValueType.Text] = 3,
    }.ToFrozenDictionary();

    // Temporal's frontend defaults (limit.numberOfSearchAttributes, searchAttributesSizeOfValueLimit, searchAttributesTotalSizeLimit).
    private const int MaxAttributesPerExecution = 100;
    private const int MaxValueBytes = 2 * 1024;
    private const int MaxTotalBytes = 40 * 1024;

    private readonly Lock _writeLock = new();
    private ImmutableDictionary<string, IndexedValueType> _custom = ImmutableDictionary<string, IndexedValueType>.Empty;

    /// <summary>The custom attributes registered so far (a snapshot).</summary>
    public IReadOnlyDictionary<string, IndexedValueType> Custom => _custom;

    /// <summary>Registers a custom attribute, with the checks of <see cref="AddSearchAttributes"/>.</summary>
    public void Register(string name, IndexedValueType type) =>
        AddSearchAttributes(new AddSearchAttributesRequest { SearchAttributes = { [name] = type } });

    /// <summary>Removes a custom attribute; unknown names are ignored as Temporal does.</summary>
    public void Remove(string name) =>
        RemoveSearchAttributes(new RemoveSearchAttributesRequest { SearchAttributes = { name } });

    /// <summary>
    /// OperatorService.AddSearchAttributes. Re-registering a name with its type is a no-op, as in Temporal;
    /// with another type it is AlreadyExists (today's Temporal silently keeps the old type, hiding the mistake).
    /// </summary>
    public AddSearchAttributesResponse AddSearchAttributes(AddSearchAttributesRequest request)
    {
        if (request.SearchAttributes.Count == 0)
        {
            throw VisibilityErrors.InvalidArgument("SearchAttributes are not set on request.");
        }
        foreach (var (name, type) in request.SearchAttributes)
        {
            if (IsReserved(name))
            {
                throw VisibilityErrors.InvalidArgument($"Search attribute {name} is reserved by system.");
            }
            if (type == IndexedValueType.Unspecified || !Enum.IsDefined(type))
            {
                throw VisibilityErrors.InvalidArgument($"Unknown search attribute type: {type}.");
            }
        }
        lock (_writeLock)
        {
            var custom = _custom;
            foreach (var (name, type) in request.SearchAttributes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (custom.TryGetValue(name, out var existing))
                {
                    if (existing != type)
                    {
                        throw VisibilityErrors.AlreadyExists($"Search attribute {name} already exists.");
                    }
                    continue;
                }
                var limit = CustomLimits[type];
                if (custom.Values.Count(value => value == type) >= limit)
                {
                    throw VisibilityErrors.InvalidArgument(
                        $"Unable to create search attributes: cannot have more than {limit} search attribute of type {type}.");
                }
                custom = custom.Add(name, type);
            }
            _custom = custom;
        }
        return new AddSearchAttributesResponse();
    }

    /// <summary>OperatorService.RemoveSearchAttributes: system attributes cannot be removed; unknown names are skipped.</summary>
    public RemoveSearchAttributesResponse RemoveSearchAttributes(RemoveSearchAttributesRequest request)
    {
        if (request.SearchAttributes.Count == 0)
        {
            throw VisibilityErrors.InvalidArgument("SearchAttributes are not set on request.");
        }
        foreach (var name in request.SearchAttributes)
        {
            if (System.ContainsKey(name) || Predefined.ContainsKey(name))
            {
                throw VisibilityErrors.InvalidArgument($"Unable to remove non-custom search attributes: {name}.");
            }
        }
        lock (_writeLock)
        {
            _custom = _custom.RemoveRange(request.SearchAttributes);
        }
        return new RemoveSearchAttributesResponse();
    }

    /// <summary>OperatorService.ListSearchAttributes: Temporal lists predefined attributes among the system ones.</summary>
    public ListSearchAttributesResponse ListSearchAttributes(ListSearchAttributesRequest request)
    {
        var response = new ListSearchAttributesResponse();
        response.CustomAttributes.Add(_custom);
        response.SystemAttributes.Add(System);
        response.SystemAttributes.Add(Predefined);
        return response;
    }

    /// <summary>
    /// Checks attributes a client wants to write (start, upsert, continue-as-new, schedule) the way Temporal's
    /// frontend does, and throws InvalidArgument with Temporal's wording for the first problem.
    /// </summary>
    public void Validate(SearchAttributes? attributes)
    {
        if (attributes is null)
        {
            return;
        }
        var fields = attributes.IndexedFields;
        if (fields.Count > MaxAttributesPerExecution)
        {
            throw VisibilityErrors.InvalidArgument($"number of search attributes {fields.Count} exceeds limit {MaxAttributesPerExecution}");
        }
        var custom = _custom;
        foreach (var (name, payload) in fields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (System.ContainsKey(name))
            {
                throw VisibilityErrors.InvalidArgument($"{name} attribute can't be set in SearchAttributes");
            }
            if (!custom.TryGetValue(name, out var type) && !Predefined.TryGetValue(name, out type))
            {
                throw VisibilityErrors.InvalidArgument($"Namespace {namespaceName} has no mapping defined for search attribute {name}");
            }
            if (!SearchAttributeValues.TryDecode(payload, type, out _))
            {
                throw VisibilityErrors.InvalidArgument(
                    $"{SearchAttributeValues.Describe(payload)} is not a valid value for search attribute {name} of type {type}");
            }
            if (payload.Data.Length > MaxValueBytes)
            {
                throw VisibilityErrors.InvalidArgument(
                    $"search attribute {name} value of size {payload.Data.Length}: exceeds size limit {MaxValueBytes}");
            }
        }
        var totalBytes = attributes.CalculateSize();
        if (totalBytes > MaxTotalBytes)
        {
            throw VisibilityErrors.InvalidArgument($"total size of search attributes {totalBytes}: exceeds size limit {MaxTotalBytes}");
        }
    }

    /// <summary>
    /// Resolves a name used in a query to the attribute it means and its type, as Temporal's query converter does:
    /// "Temporal"-prefixed aliases of predefined attributes, the prefix being optional, and ScheduleId meaning
    /// WorkflowId unless a custom ScheduleId exists.
    /// </summary>
    public bool TryResolve(string name, out string fieldName, out IndexedValueType type)
    {
        var custom = _custom;
        fieldName = name;
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            var unprefixed = name[ReservedPrefix.Length..];
            if (unprefixed == "BuildIds")
            {
                fieldName = unprefixed;
            }
            return TryGetType(fieldName, custom, out type);
        }
        if (TryGetType(name, custom, out type))
        {
            return true;
        }
        if (name == SearchAttributeNames.ScheduleId)
        {
            fieldName = SearchAttributeNames.WorkflowId;
            type = IndexedValueType.Keyword;
            return true;
        }
        fieldName = ReservedPrefix + name;
        return TryGetType(fieldName, custom, out type);
    }

    private static bool TryGetType(string name, ImmutableDictionary<string, IndexedValueType> custom, out IndexedValueType type) =>
        System.TryGetValue(name, out type) || Predefined.TryGetValue(name, out type) || custom.TryGetValue(name, out type);

    private static bool IsReserved(string name) =>
        System.ContainsKey(name) || Predefined.ContainsKey(name) || Reserved.Contains(name) ||
        name.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
