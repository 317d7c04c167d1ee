using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Activities.Database;

/// <summary>Applies the migrations before the host serves anything.</summary>
internal sealed class MigrateOnStartup(IOptions<DatabaseOptions> options, ILogger<MigrateOnStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        PaymentsDatabase.MigrateAsync(options.Value.ConnectionString!, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
