namespace Payments.Domain;

public enum PaymentStatus
{
    Created,
    Processing,
    Failed,
    Paid,
    Suspended,
    Refunded,
    Closed,
}

/// <summary>The contract's status machine: the only moves a payment order may make.</summary>
public static class PaymentStatusMachine
{
    private static readonly Dictionary<PaymentStatus, PaymentStatus[]> Sources = new()
    {
        [PaymentStatus.Created] = [],
        [PaymentStatus.Processing] = [PaymentStatus.Created, PaymentStatus.Suspended],
        [PaymentStatus.Failed] = [PaymentStatus.Created],
        [PaymentStatus.Paid] = [PaymentStatus.Processing],
        [PaymentStatus.Suspended] = [PaymentStatus.Processing],
        [PaymentStatus.Refunded] = [PaymentStatus.Processing],
        [PaymentStatus.Closed] = [PaymentStatus.Created],
    };

    /// <summary>The states a payment may move to <paramref name="target"/> from.</summary>
    public static IReadOnlyList<PaymentStatus> AllowedFrom(PaymentStatus target) => Sources[target];
}
