namespace Payments.Activities.Notifications;

public static class NotificationHeaders
{
    public const string NotifyId = "X-Payments-Notify-Id";
    public const string Timestamp = "X-Payments-Timestamp";
    public const string Signature = "X-Payments-Signature";
}
