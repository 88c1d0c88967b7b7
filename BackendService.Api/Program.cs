using BackendService.Api;
using BackendService.Api.Configuration;
using BackendService.Api.Hosting;
using BackendService.Application;
using BackendService.Infrastructure;
using Serilog;

// A logger before anything else, so that a failure while starting is logged too.
Log.Logger = Logging.CreateBootstrapLogger();

// --migrate-only: apply the migrations and exit, for a Kubernetes Job or init container.
const string MigrateOnlySwitch = "--migrate-only";
var migrateOnly = args.Contains(MigrateOnlySwitch);

try
{
    var builder = WebApplication.CreateBuilder(args.Where(a => a != MigrateOnlySwitch).ToArray());
    builder.ConfigureLogging().ConfigureHttpServer();
    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration)
        .AddApi(builder.Configuration);

    await using var app = builder.Build();
    if (migrateOnly)
    {
        await app.Services.MigrateDatabaseAsync(CancellationToken.None);
        Log.Information("BackendService applied the database migrations and exits (--migrate-only)");
        return 0;
    }

    // Migrations (or the schema check) run while the pipeline is built; the host waits for
    // them before the port is opened.
    app.Services.BeginStartupMigration();
    app.UseApi();

    // RunAsync returns after a graceful stop, with the host and its connection pool disposed.
    await app.RunAsync();
    Log.Information("BackendService shut down gracefully");
    return 0;
}
catch (Exception ex) when (StartupFailure.IsConfigurationError(ex, out var message))
{
    Log.Fatal("BackendService cannot start: invalid configuration. {Problem:l}", message);
    return 2;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "BackendService failed to start or stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
