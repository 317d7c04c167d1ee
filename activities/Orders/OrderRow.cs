using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Orders;

/// <summary>
/// The order's own columns of <c>orders.payments</c> (aliased <c>p</c>), mapped in this one place: the workflow's
/// <see cref="PaymentFacts"/>, the create's comparison of a repeated order and the API's payment view read the row through it.
/// </summary>
public static class OrderRow
{
    public const string Columns =
        "p.payment_id, p.merchant_id, p.merchant_order_no, p.user_id, p.amount, p.currency, p.fee, p.net_amount, p.points, "
        + "p.notify_url, p.status, p.bank_txn_id, p.bank_result, p.paid_at, p.created_at, p.expires_at, p.subject";

    public static PaymentFacts Read(NpgsqlDataReader reader) => new(
        reader.GetString("payment_id"),
        reader.GetString("merchant_id"),
        reader.GetString("merchant_order_no"),
        reader.GetString("user_id"),
        reader.GetInt64("amount"),
        reader.GetString("currency"),
        reader.GetInt64("fee"),
        reader.GetInt64("net_amount"),
        reader.GetInt64("points"),
        reader.GetString("notify_url"),
        reader.GetWire<PaymentStatus>("status"),
        reader.GetNullableString("bank_txn_id"),
        reader.GetNullableTimestamp("paid_at"),
        reader.GetTimestamp("created_at"),
        reader.GetNullableTimestamp("expires_at"),
        reader.GetNullableWire<BankResult>("bank_result"),
        reader.GetNullableString("subject"));
}
