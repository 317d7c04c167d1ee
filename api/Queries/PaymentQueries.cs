using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Payments.Activities.Accounting;
using Payments.Activities.Database;
using Payments.Activities.Funds;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Reconciliation;
using Payments.Domain;

namespace Payments.Api.Queries;

/// <summary>
/// The API's read model (as eShop's <c>OrderQueries</c>): everything the API answers from the participants' data, and
/// the only way it reads them. The payment view is assembled here from the schemas it spans (orders, accounting, notify);
/// a read of one participant's own rows goes to that participant, which maps them once. Answers with no worker running.
/// </summary>
public sealed class PaymentQueries(
    NpgsqlDataSource dataSource,
    NotificationStore notifications,
    VoucherStore vouchers,
    FundAccountStore fundAccounts,
    PointsAccountStore pointsAccounts,
    ReconciliationReportStore reports,
    PaymentOrderStore orders)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private const string Select =
        $"""
        SELECT p.seq, {OrderRow.Columns}, p.step, p.fund_account, p.points_account,
               CASE WHEN v.voucher_id IS NULL THEN p.accounting ELSE 'POSTED' END AS accounting,
               coalesce(n.status, 'NONE') AS notification, p.last_error,
               (SELECT json_agg(json_build_object('action', r.action, 'reason', r.reason, 'source', r.source, 'at', r.decided_at)
                                ORDER BY r.number)
                FROM orders.resolutions r WHERE r.payment_id = p.payment_id) AS resolutions
        FROM orders.payments p
        LEFT JOIN accounting.vouchers v ON v.payment_id = p.payment_id
        LEFT JOIN notify.notifications n ON n.payment_id = p.payment_id
        """;

    public async Task<PaymentView?> GetAsync(string paymentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE p.payment_id = @id");
        command.Parameters.With("id", paymentId);
        return (await ReadAsync(command, cancellationToken)).Items.SingleOrDefault();
    }

    /// <summary>The merchant's reconciliation query (<c>GET /api/merchant/orders/{merchantOrderNo}</c>).</summary>
    public async Task<PaymentView?> GetByMerchantOrderNoAsync(string merchantId, string merchantOrderNo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE p.merchant_id = @merchant AND p.merchant_order_no = @order_no");
        command.Parameters.With("merchant", merchantId).With("order_no", merchantOrderNo);
        return (await ReadAsync(command, cancellationToken)).Items.SingleOrDefault();
    }

    /// <summary>Newest first, filtered by status and merchant; the cursor is opaque to callers (an invalid one is an <see cref="ArgumentException"/>).</summary>
    public async Task<PaymentPage> ListAsync(PaymentListQuery query, CancellationToken cancellationToken)
    {
        if (query.Limit is < 1 or > PaymentListQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"limit must be within 1..{PaymentListQuery.MaxLimit}.");
        }
        if (!TryParseCursor(query.Cursor, out var before))
        {
            throw new ArgumentException($"'{query.Cursor}' is not a cursor.", nameof(query));
        }
        await using var command = dataSource.CreateCommand(
            $"""
            {Select}
            WHERE (@status::text IS NULL OR p.status = @status)
              AND (@merchant::text IS NULL OR p.merchant_id = @merchant)
              AND (@before::bigint IS NULL OR p.seq < @before)
            ORDER BY p.seq DESC
            LIMIT @limit
            """);
        command.Parameters.WithWire("status", query.Status)
            .WithNullable("merchant", query.MerchantId, NpgsqlTypes.NpgsqlDbType.Text)
            .WithNullable("before", before, NpgsqlTypes.NpgsqlDbType.Bigint)
            .With("limit", query.Limit + 1);
        var (items, lastSeq) = await ReadAsync(command, cancellationToken);
        if (items.Count <= query.Limit)
        {
            return new PaymentPage(items, null);
        }
        items.RemoveAt(items.Count - 1);
        return new PaymentPage(items, lastSeq[^2].ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The merchant notification of a payment (<c>GET /api/payments/{id}/notification</c>); NONE before the first attempt.</summary>
    public Task<NotificationStatusView> GetNotificationAsync(string paymentId, CancellationToken cancellationToken) =>
        notifications.GetAsync(paymentId, cancellationToken);

    public Task<IReadOnlyList<Voucher>> ListVouchersAsync(string paymentId, CancellationToken cancellationToken) =>
        vouchers.ListByPaymentAsync(paymentId, cancellationToken);

    public Task<FundAccount?> GetFundAccountAsync(string merchantId, CancellationToken cancellationToken) =>
        fundAccounts.GetAsync(merchantId, cancellationToken);

    public Task<PointsAccount?> GetPointsAccountAsync(string userId, CancellationToken cancellationToken) =>
        pointsAccounts.GetAsync(userId, cancellationToken);

    public Task<IReadOnlyList<ReconciliationReport>> ListReconciliationReportsAsync(int limit, CancellationToken cancellationToken) =>
        reports.ListRecentAsync(limit, cancellationToken);

    public Task<IReadOnlyList<BankExceptionRecord>> ListBankExceptionsAsync(CancellationToken cancellationToken) =>
        orders.ListBankExceptionsAsync(cancellationToken: cancellationToken);

    public static bool TryParseCursor(string? cursor, out long? before)
    {
        before = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0)
        {
            before = seq;
            return true;
        }
        return false;
    }

    private static async Task<(List<PaymentView> Items, List<long> Seqs)> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<PaymentView>();
        var seqs = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            seqs.Add(reader.GetInt64("seq"));
            items.Add(new PaymentView(
                OrderRow.Read(reader),
                reader.GetNullableWire<PaymentStep>("step"),
                reader.GetWire<BranchState>("fund_account"),
                reader.GetWire<BranchState>("points_account"),
                reader.GetWire<AccountingState>("accounting"),
                reader.GetWire<NotificationState>("notification"),
                reader.GetNullableString("last_error"),
                reader.GetNullableString("resolutions") is { } resolutions ? JsonSerializer.Deserialize<PaymentResolution[]>(resolutions, Json)! : []));
        }
        return (items, seqs);
    }
}
