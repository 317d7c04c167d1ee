using System.Text;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>The fields UpdateActivityOptions may change, named by its update mask as Temporal names them.</summary>
internal static class ActivityOptionPaths
{
    private static readonly Dictionary<string, Action<ActivityTaskScheduledEventAttributes, ActivityOptions>> Setters = new(StringComparer.Ordinal)
    {
        ["task_queue.name"] = (options, update) => options.TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = update.TaskQueue?.Name ?? "", Kind = Temporalio.Api.Enums.V1.TaskQueueKind.Normal },
        ["schedule_to_close_timeout"] = (options, update) => options.ScheduleToCloseTimeout = update.ScheduleToCloseTimeout,
        ["schedule_to_start_timeout"] = (options, update) => options.ScheduleToStartTimeout = update.ScheduleToStartTimeout,
        ["start_to_close_timeout"] = (options, update) => options.StartToCloseTimeout = update.StartToCloseTimeout,
        ["heartbeat_timeout"] = (options, update) => options.HeartbeatTimeout = update.HeartbeatTimeout,
        ["priority"] = (options, update) => options.Priority = update.Priority,
        ["retry_policy"] = (options, update) => options.RetryPolicy = RetryPolicies.WithDefaults(update.RetryPolicy),
        ["retry_policy.initial_interval"] = (options, update) => Retry(options).InitialInterval = update.RetryPolicy?.InitialInterval,
        ["retry_policy.backoff_coefficient"] = (options, update) => Retry(options).BackoffCoefficient = update.RetryPolicy?.BackoffCoefficient ?? 0,
        ["retry_policy.maximum_interval"] = (options, update) => Retry(options).MaximumInterval = update.RetryPolicy?.MaximumInterval,
        ["retry_policy.maximum_attempts"] = (options, update) => Retry(options).MaximumAttempts = update.RetryPolicy?.MaximumAttempts ?? 0,
    };

    /// <summary>A mask path in Temporal's snake_case (clients send either that or the JSON camelCase); InvalidArgument for others.</summary>
    public static string Canonical(string path)
    {
        var snake = new StringBuilder(path.Length + 8);
        foreach (var character in path)
        {
            if (char.IsUpper(character))
            {
                snake.Append('_').Append(char.ToLowerInvariant(character));
            }
            else
            {
                snake.Append(character);
            }
        }
        var canonical = snake.ToString();
        return Setters.ContainsKey(canonical) ? canonical : throw TemporalErrors.InvalidArgument($"invalid update mask path: {path}");
    }

    public static void Apply(ActivityTaskScheduledEventAttributes options, ActivityOptions update, IEnumerable<string> canonicalPaths)
    {
        foreach (var path in canonicalPaths)
        {
            Setters[path](options, update);
        }
        options.RetryPolicy = RetryPolicies.WithDefaults(options.RetryPolicy);
    }

    /// <summary>The options in force, as describe and UpdateActivityOptions show them.</summary>
    public static ActivityOptions Of(ActivityTaskScheduledEventAttributes options) => new()
    {
        TaskQueue = options.TaskQueue?.Clone(),
        ScheduleToCloseTimeout = options.ScheduleToCloseTimeout,
        ScheduleToStartTimeout = options.ScheduleToStartTimeout,
        StartToCloseTimeout = options.StartToCloseTimeout,
        HeartbeatTimeout = options.HeartbeatTimeout,
        RetryPolicy = options.RetryPolicy?.Clone(),
        Priority = options.Priority,
    };

    private static RetryPolicy Retry(ActivityTaskScheduledEventAttributes options) => options.RetryPolicy ??= new RetryPolicy();
}
