using Payments.Workers.Logging;
using Serilog.Context;

namespace Payments.Api;

/// <summary>Every line logged while serving a request about a payment (<c>{paymentId}</c> in its route) carries the payment id.</summary>
internal static class PaymentLogContext
{
    public static IApplicationBuilder UsePaymentLogContext(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        using (context.GetRouteValue("paymentId") is string paymentId ? LogContext.PushProperty(PaymentIdEnricher.Property, paymentId) : null)
        {
            await next(context);
        }
    });
}
