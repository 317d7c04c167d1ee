namespace Payments.Domain;

/// <summary>Where the completion workflow is; shown as <c>step</c> in the payment view.</summary>
public enum PaymentStep
{
    WaitingForBank,
    Received,
    Trying,
    Confirming,
    Cancelling,
    WaitingForOperator,
    Refunding,
    PostingVoucher,
    Done,
}

/// <summary>State of one TCC branch (fund account or points account) as shown in the payment view.</summary>
public enum BranchState
{
    None,
    Tried,
    Confirmed,
    Cancelled,
}

public enum AccountingState
{
    None,
    Pending,
    Posted,
}

public enum NotificationState
{
    None,
    Pending,
    Delivered,
    Acknowledged,
    GaveUp,
}

public enum NotificationOutcome
{
    Delivered,
    HttpError,
    UnexpectedBody,
    Timeout,
    ConnectionFailed,
}

public enum BankResult
{
    Success,
    Failed,
}

public enum PartyStatus
{
    Active,
    Frozen,
}

public enum ResolutionAction
{
    Retry,
    Refund,
}

/// <summary>Where an operator's decision came from: the API (the <c>resolve</c> update) or the Temporal UI/CLI (the signal).</summary>
public enum ResolutionSource
{
    Api,
    Ui,
}

/// <summary>The refund of a debit that arrived after its order was closed, as the bank exception view shows it.</summary>
public enum LateDebitRefundStatus
{
    Pending,
    Refunded,
    RefundRefused,
}

/// <summary>What a voucher accounts for: a paid payment, a refunded one, or a late debit returned to the shopper.</summary>
public enum VoucherKind
{
    Payment,
    Refund,
    LateDebitRefund,
}
