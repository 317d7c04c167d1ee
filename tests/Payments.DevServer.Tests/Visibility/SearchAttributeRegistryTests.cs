using Google.Protobuf;
using Grpc.Core;
using Payments.DevServer.Visibility;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Registering, listing and removing search attributes, and validating the ones an execution writes.</summary>
public class SearchAttributeRegistryTests
{
    [Fact]
    public void ListSearchAttributes_NewRegistry_ListsSystemAndPredefinedOnly()
    {
        var response = new SearchAttributeRegistry("default").ListSearchAttributes(new ListSearchAttributesRequest { Namespace = "default" });

        Assert.Empty(response.CustomAttributes);
        Assert.Equal(IndexedValueType.Keyword, response.SystemAttributes["WorkflowId"]);
        Assert.Equal(IndexedValueType.Keyword, response.SystemAttributes["ExecutionStatus"]);
        Assert.Equal(IndexedValueType.Datetime, response.SystemAttributes["StartTime"]);
        Assert.Equal(IndexedValueType.Int, response.SystemAttributes["HistoryLength"]);
        Assert.Equal(IndexedValueType.KeywordList, response.SystemAttributes["TemporalChangeVersion"]);
        Assert.Equal(IndexedValueType.KeywordList, response.SystemAttributes["BuildIds"]);
    }

    [Fact]
    public void AddSearchAttributes_NewNames_AreListedAsCustom()
    {
        var registry = new SearchAttributeRegistry("default");

        registry.AddSearchAttributes(new AddSearchAttributesRequest
        {
            Namespace = "default",
            SearchAttributes = { ["CustomerId"] = IndexedValueType.Keyword, ["AmountCents"] = IndexedValueType.Int },
        });

        var listed = registry.ListSearchAttributes(new ListSearchAttributesRequest()).CustomAttributes;
        Assert.Equal(2, listed.Count);
        Assert.Equal(IndexedValueType.Keyword, listed["CustomerId"]);
        Assert.Equal(IndexedValueType.Int, registry.Custom["AmountCents"]);
    }

    [Fact]
    public void Register_SameNameSameType_IsIdempotent()
    {
        var registry = new SearchAttributeRegistry("default");
        registry.Register("CustomerId", IndexedValueType.Keyword);

        registry.Register("CustomerId", IndexedValueType.Keyword);

        Assert.Single(registry.Custom);
    }

    [Fact]
    public void Register_SameNameOtherType_IsAlreadyExists()
    {
        var registry = new SearchAttributeRegistry("default");
        registry.Register("CustomerId", IndexedValueType.Keyword);

        var error = Assert.Throws<RpcException>(() => registry.Register("CustomerId", IndexedValueType.Int));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("Search attribute CustomerId already exists.", error.Status.Detail);
        Assert.Equal(IndexedValueType.Keyword, registry.Custom["CustomerId"]);
    }

    [Theory]
    [InlineData("WorkflowId")]
    [InlineData("ExecutionStatus")]
    [InlineData("TemporalChangeVersion")]
    [InlineData("BuildIds")]
    [InlineData("TemporalAnything")]
    [InlineData("Memo")]
    public void Register_ReservedName_IsInvalidArgument(string name)
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").Register(name, IndexedValueType.Keyword));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"Search attribute {name} is reserved by system.", error.Status.Detail);
    }

    [Fact]
    public void Register_UnspecifiedType_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").Register("CustomerId", IndexedValueType.Unspecified));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Unknown search attribute type: Unspecified.", error.Status.Detail);
    }

    [Fact]
    public void AddSearchAttributes_Empty_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").AddSearchAttributes(new AddSearchAttributesRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("SearchAttributes are not set on request.", error.Status.Detail);
    }

    [Fact]
    public void Register_MoreThanTheSqlStoreHolds_IsInvalidArgument()
    {
        var registry = new SearchAttributeRegistry("default");
        for (var i = 1; i <= 3; i++)
        {
            registry.Register($"Amount{i}", IndexedValueType.Int);
        }

        var error = Assert.Throws<RpcException>(() => registry.Register("Amount4", IndexedValueType.Int));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Unable to create search attributes: cannot have more than 3 search attribute of type Int.", error.Status.Detail);
    }

    [Fact]
    public void Remove_CustomAttribute_IsNoLongerListed()
    {
        var registry = new SearchAttributeRegistry("default");
        registry.Register("CustomerId", IndexedValueType.Keyword);

        registry.Remove("CustomerId");
        registry.Remove("NeverRegistered");

        Assert.Empty(registry.Custom);
    }

    [Fact]
    public void RemoveSearchAttributes_SystemAttribute_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").Remove("WorkflowType"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Unable to remove non-custom search attributes: WorkflowType.", error.Status.Detail);
    }

    [Fact]
    public void Validate_UnregisteredAttribute_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").Validate(
            Executions.Attributes(builder => builder.Set(Executions.CustomerId, "c-1"))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Namespace default has no mapping defined for search attribute CustomerId", error.Status.Detail);
    }

    [Fact]
    public void Validate_SystemAttribute_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => new SearchAttributeRegistry("default").Validate(new SearchAttributes
        {
            IndexedFields = { ["WorkflowId"] = Json("\"wf\"", "Keyword") },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("WorkflowId attribute can't be set in SearchAttributes", error.Status.Detail);
    }

    [Theory]
    [InlineData("AmountCents", "\"abc\"", "abc is not a valid value for search attribute AmountCents of type Int")]
    [InlineData("AmountCents", "1.5", "1.5 is not a valid value for search attribute AmountCents of type Int")]
    [InlineData("CustomerId", "42", "42 is not a valid value for search attribute CustomerId of type Keyword")]
    [InlineData("Urgent", "\"yes\"", "yes is not a valid value for search attribute Urgent of type Bool")]
    [InlineData("DueAt", "\"tomorrow\"", "tomorrow is not a valid value for search attribute DueAt of type Datetime")]
    [InlineData("Tags", "\"single\"", "single is not a valid value for search attribute Tags of type KeywordList")]
    public void Validate_ValueOfAnotherType_IsInvalidArgument(string name, string json, string message)
    {
        var error = Assert.Throws<RpcException>(() => Executions.Registry().Validate(new SearchAttributes
        {
            IndexedFields = { [name] = Json(json, "Keyword") },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public void Validate_ValueLargerThan2KiB_IsInvalidArgument()
    {
        var error = Assert.Throws<RpcException>(() => Executions.Registry().Validate(
            Executions.Attributes(builder => builder.Set(Executions.CustomerId, new string('x', 3000)))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("search attribute CustomerId value of size 3002: exceeds size limit 2048", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_FromManyThreads_KeepsEveryAttribute()
    {
        var registry = new SearchAttributeRegistry("default");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => registry.Register($"Key{i}", IndexedValueType.Keyword))));

        Assert.Equal(10, registry.Custom.Count);
    }

    private static Payload Json(string json, string type) => new()
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain"), ["type"] = ByteString.CopyFromUtf8(type) },
        Data = ByteString.CopyFromUtf8(json),
    };
}
