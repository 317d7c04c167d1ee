namespace Payments.Domain;

/// <summary>Where the completion workflow is; shown as <c>step</c> in the payment view.</summary>
public enum PaymentStep
{
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
