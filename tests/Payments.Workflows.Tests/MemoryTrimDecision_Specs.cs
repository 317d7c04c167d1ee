using Payments.Workers.Memory;

namespace Payments.Workflows.Tests;

/// <summary>
/// When a host gives a burst's memory back (<see cref="CalmAfterGrowth"/>): once its working set has grown by a tenth
/// over the lowest point since the last trim and a look has at most a quarter of the busiest look's gen0 collections —
/// not only a look with none, which a host still polling and retrying under load rarely has.
/// </summary>
public sealed class MemoryTrimDecision_Specs
{
    private const long MiB = 1048576;
    private readonly CalmAfterGrowth _decision = new(growthToTrim: 0.10);

    [Fact]
    public void Look_StillAtTheBurstsRate_Waits() =>
        Assert.Null(Looks((0, 140), (8, 180), (6, 200)));

    [Fact]
    public void Look_AQuarterOfTheBusiestRateAfterGrowing_GivesTheGrowthBack() =>
        Assert.Equal(new Growth(140 * MiB, 190 * MiB, LastLook: 2, BusiestLook: 8), Looks((0, 140), (8, 180), (2, 190)));

    // A host that seldom collects (the API between callbacks) grows too: in native memory and its last gen0 budget.
    [Fact]
    public void Look_WithoutCollectionsAfterGrowing_GivesTheGrowthBack() =>
        Assert.NotNull(Looks((0, 150), (0, 175), (0, 180)));

    [Fact]
    public void Look_CalmWithoutGrowth_Waits() =>
        Assert.Null(Looks((0, 140), (8, 150), (0, 150)));

    [Fact]
    public void Look_AfterATrim_CountsGrowthFromWhatTheTrimLeft()
    {
        Assert.NotNull(Looks((0, 140), (8, 200), (0, 200)));
        _decision.Trimmed(160 * MiB);

        Assert.Null(Looks((0, 170)));
        Assert.NotNull(Looks((0, 177)));
    }

    [Fact]
    public void Look_AfterATrim_MeasuresTheNextBurstsRateAfresh()
    {
        Looks((0, 140), (40, 200));
        _decision.Trimmed(150 * MiB);

        // Against this burst's 4 a look, not the old one's 40: 3 is not calm.
        Assert.Null(Looks((4, 180), (3, 190)));
    }

    /// <summary>The decision at the last of these looks (gen0 collections, working set in MiB).</summary>
    private Growth? Looks(params (int Collections, long WorkingSetMiB)[] looks) =>
        looks.Select(look => _decision.Look(look.Collections, look.WorkingSetMiB * MiB)).ToList()[^1];
}
