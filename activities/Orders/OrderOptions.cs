namespace Payments.Activities.Orders;

/// <summary><c>Payments:Orders</c>: the life of an unpaid order.</summary>
public sealed class OrderOptions
{
    public const string Section = "Payments:Orders";

    /// <summary><c>Payments:Orders:ExpireAfter</c>: an order nobody paid is closed this long after its creation.</summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromMinutes(30);
}
