using Payments.Harness;

namespace Payments.Chaos;

/// <summary>What the run means to happen to one payment, fixed before it is created.</summary>
internal sealed record Plan(int Index, string MerchantId, string UserId, MerchantBehaviour Behaviour, string? Resolution, bool RefundRefusedFirst)
{
    public const string FrozenMerchant = "m-frozen";
    public const string FrozenUserRetried = "u-frozen-retry";
    public const string FrozenUserRefunded = "u-frozen-refund";
    public const int AckMerchants = 3;
    public const int Users = 5;

    public long Amount => 1_000 + (Index * 37 % 50_000);

    /// <summary>The final status its 200-answered callback must lead to.</summary>
    public string ExpectedStatus => Resolution == "REFUND" ? "REFUNDED" : "PAID";

    /// <summary>
    /// One payment in ten each: an unreliable merchant endpoint, a failing one, a frozen merchant (RETRY after
    /// unfreezing), a frozen user (RETRY after unfreezing), a frozen user never unfrozen (REFUND, every other one
    /// refused by the bank first); the rest pay plainly.
    /// </summary>
    public static Plan For(int index) => (index % 10) switch
    {
        5 => new Plan(index, "m-unreliable", User(index), MerchantBehaviour.Unreliable, null, false),
        6 => new Plan(index, "m-failing", User(index), MerchantBehaviour.Failing, null, false),
        7 => new Plan(index, FrozenMerchant, User(index), MerchantBehaviour.Acknowledges, "RETRY", false),
        8 => new Plan(index, $"m-ack-{index % AckMerchants}", FrozenUserRetried, MerchantBehaviour.Acknowledges, "RETRY", false),
        9 => new Plan(index, $"m-ack-{index % AckMerchants}", FrozenUserRefunded, MerchantBehaviour.Acknowledges, "REFUND", index % 20 == 9),
        _ => new Plan(index, $"m-ack-{index % AckMerchants}", User(index), MerchantBehaviour.Acknowledges, null, false),
    };

    public static IEnumerable<(string MerchantId, MerchantBehaviour Behaviour)> Merchants() =>
        Enumerable.Range(0, AckMerchants).Select(k => ($"m-ack-{k}", MerchantBehaviour.Acknowledges))
            .Append(("m-unreliable", MerchantBehaviour.Unreliable))
            .Append(("m-failing", MerchantBehaviour.Failing))
            .Append((FrozenMerchant, MerchantBehaviour.Acknowledges));

    public static IEnumerable<string> AllUsers() =>
        Enumerable.Range(0, Users).Select(k => $"u{k}").Append(FrozenUserRetried).Append(FrozenUserRefunded);

    private static string User(int index) => $"u{index % Users}";
}
