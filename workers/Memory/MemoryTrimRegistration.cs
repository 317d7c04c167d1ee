using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Payments.Workers.Memory;

public static class MemoryTrimRegistration
{
    /// <summary>The API's and the worker's host give a burst's memory back once quiet (<see cref="QuietMemoryTrim"/>).</summary>
    public static IServiceCollection AddQuietMemoryTrim(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemoryTrimOptions>()
            .Bind(configuration.GetSection(MemoryTrimOptions.Section))
            .Validate(options => options.CheckEvery > TimeSpan.Zero && options.GrowthToTrim > 0, "Payments:Memory settings must be positive.")
            .ValidateOnStart();
        services.AddHostedService<QuietMemoryTrim>();
        return services;
    }
}
