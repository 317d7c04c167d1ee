using Payments.Harness;

namespace Payments.Chaos;

/// <summary>How the bank treats a payment in the run.</summary>
internal enum BankPath
{
    /// <summary>Debited when created; its signed callback is sent (and retried until answered 200).</summary>
    Callback,

    /// <summary>Debited when created; its callback is never sent: only the platform's status query can find the debit.</summary>
    LostCallback,

    /// <summary>Never debited: the order expires and is closed.</summary>
    Unpaid,

    /// <summary>Debited only once its order is CLOSED, callback sent: the platform must give the money back (LateDebitRefund).</summary>
    LateDebit,
}

/// <summary>What the run means to happen to one payment, fixed before it is created.</summary>
internal sealed record Plan(
    int Index, string Kind, string MerchantId, string UserId, MerchantBehaviour Behaviour, BankPath Bank, string? Resolution, bool RefundRefusedFirst, bool Contested)
{
    public const string FrozenMerchant = "m-frozen";
    public const string FrozenUserRetried = "u-frozen-retry";
    public const string FrozenUserRefunded = "u-frozen-refund";
    public const int AckMerchants = 3;
    public const int Users = 5;

    /// <summary>How many resolutions of a contested payment the operator sends at once.</summary>
    public const int ContestedResolutions = 4;

    public long Amount => 1_000 + (Index * 37 % 50_000);

    /// <summary>The bank's transaction id of its debit (a late debit is a debit of its own, after the close).</summary>
    public string BankTxnId(string paymentId) => Bank == BankPath.LateDebit ? $"L-{paymentId}" : $"B-{paymentId}";

    /// <summary>The final status the payment must end in.</summary>
    public string ExpectedStatus => Bank is BankPath.Unpaid or BankPath.LateDebit ? "CLOSED" : Resolution == "REFUND" ? "REFUNDED" : "PAID";

    /// <summary>The party the operator unfreezes before a RETRY (null when nothing is frozen for it).</summary>
    public (string Kind, string Id)? FrozenParty => Resolution != "RETRY" ? null : MerchantId == FrozenMerchant ? ("merchants", MerchantId) : ("users", UserId);

    /// <summary>
    /// Twenty kinds of payment, one after another: plain ones; an unreliable and a failing merchant endpoint (d); a frozen
    /// merchant or user resolved by RETRY after unfreezing, one of them contested by concurrent resolutions; a frozen user
    /// resolved by REFUND, refused by the bank first for one of them (e); a lost callback, an order nobody pays and a
    /// debit after the close (f).
    /// </summary>
    public static Plan For(int index) => (index % 20) switch
    {
        5 or 15 => Pays(index, "unreliable endpoint", "m-unreliable", User(index), MerchantBehaviour.Unreliable),
        6 or 16 => Pays(index, "failing endpoint", "m-failing", User(index), MerchantBehaviour.Failing),
        7 => Pays(index, "frozen merchant, RETRY", FrozenMerchant, User(index)) with { Resolution = "RETRY" },
        17 => Pays(index, "frozen merchant, concurrent RETRYs", FrozenMerchant, User(index)) with { Resolution = "RETRY", Contested = true },
        8 or 18 => Pays(index, "frozen user, RETRY", AckMerchant(index), FrozenUserRetried) with { Resolution = "RETRY" },
        9 => Pays(index, "frozen user, REFUND refused first", AckMerchant(index), FrozenUserRefunded) with { Resolution = "REFUND", RefundRefusedFirst = true },
        19 => Pays(index, "frozen user, REFUND", AckMerchant(index), FrozenUserRefunded) with { Resolution = "REFUND" },
        12 => Pays(index, "lost callback", AckMerchant(index), User(index)) with { Bank = BankPath.LostCallback },
        13 => Pays(index, "never paid, expires", AckMerchant(index), User(index)) with { Bank = BankPath.Unpaid },
        14 => Pays(index, "debited after its close", AckMerchant(index), User(index)) with { Bank = BankPath.LateDebit },
        _ => Pays(index, "plain", AckMerchant(index), User(index)),
    };

    /// <summary>A plain payment run before the idle memory is measured, so "idle" is a platform that has served payments.</summary>
    public static Plan Warmup(int index) => Pays(index, "warm-up, before the idle measure", AckMerchant(index), User(index));

    public static IEnumerable<(string MerchantId, MerchantBehaviour Behaviour)> Merchants() =>
        Enumerable.Range(0, AckMerchants).Select(k => ($"m-ack-{k}", MerchantBehaviour.Acknowledges))
            .Append(("m-unreliable", MerchantBehaviour.Unreliable))
            .Append(("m-failing", MerchantBehaviour.Failing))
            .Append((FrozenMerchant, MerchantBehaviour.Acknowledges));

    public static IEnumerable<string> AllUsers() =>
        Enumerable.Range(0, Users).Select(k => $"u{k}").Append(FrozenUserRetried).Append(FrozenUserRefunded);

    private static Plan Pays(int index, string kind, string merchantId, string userId, MerchantBehaviour behaviour = MerchantBehaviour.Acknowledges) =>
        new(index, kind, merchantId, userId, behaviour, BankPath.Callback, null, false, false);

    private static string AckMerchant(int index) => $"m-ack-{index % AckMerchants}";

    private static string User(int index) => $"u{index % Users}";
}
