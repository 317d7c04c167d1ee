namespace Payments.Activities.Tcc;

/// <summary>One TCC branch call: the payment, the TCC round (each operator RETRY is a new round), the account and the amount.</summary>
public sealed record TccRequest(string PaymentId, int Round, string AccountId, long Amount);

public enum TccOp
{
    Try,
    Confirm,
    Cancel,
}

/// <summary>What a branch call did; every outcome but a business refusal is a success for the caller.</summary>
public enum TccOutcome
{
    /// <summary>The business change was made now.</summary>
    Applied,

    /// <summary>The same operation already ran for this barrier id: nothing done.</summary>
    Duplicate,

    /// <summary>A cancel arrived before its try: recorded, nothing to release.</summary>
    NullCompensation,

    /// <summary>A try arrived after its cancel: refused by the barrier so no reservation hangs.</summary>
    Hanging,

    /// <summary>The branch's amount is zero: skipped without touching the barrier.</summary>
    ZeroAmount,
}
