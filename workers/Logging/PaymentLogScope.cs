using Payments.Domain;
using Serilog.Context;
using Temporalio.Activities;
using Temporalio.Worker.Interceptors;

namespace Payments.Workers.Logging;

/// <summary>
/// Every line an activity logs (its own logger, Npgsql's, the HTTP client's) carries the workflow id and the payment id
/// it works for: the activities take their loggers from DI, outside Temporal's own logging scope.
/// </summary>
public sealed class PaymentLogScope : IWorkerInterceptor
{
    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new ActivityScope(nextInterceptor);

    private sealed class ActivityScope(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            if (ActivityExecutionContext.Current.Info.WorkflowId is not { } workflowId)
            {
                return await base.ExecuteActivityAsync(input);
            }
            using (LogContext.PushProperty("WorkflowId", workflowId))
            using (Identifiers.PaymentIdOfWorkflow(workflowId) is { } paymentId ? LogContext.PushProperty(PaymentIdEnricher.Property, paymentId) : null)
            {
                return await base.ExecuteActivityAsync(input);
            }
        }
    }
}
