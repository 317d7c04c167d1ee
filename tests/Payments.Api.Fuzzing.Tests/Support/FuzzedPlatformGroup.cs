namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>Every fuzzing class shares one platform and runs one at a time, so a state compared before and after is the request's own.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzedPlatformGroup : ICollectionFixture<FuzzedPlatform>
{
    public const string Name = "fuzzed platform";
}
