using BackendService.Api;
using BackendService.Api.Configuration;
using BackendService.Api.Hosting;
using BackendService.Api.Security;
using BackendService.Application;
using BackendService.Infrastructure;
using Serilog;

if (Scopes.PrintRequested(args))
{
    return Scopes.Print();
}

// A logger before anything else, so that a failure while starting is logged too.
Log.Logger = Logging.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(MigrateOnly.HostArguments(args));
    builder.ConfigureLogging().ConfigureHttpServer();
    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration)
        .AddApi(builder.Configuration);

    await using var app = builder.Build();
    if (MigrateOnly.IsRequested(args))
    {
        await app.Services.MigrateDatabaseAsync(CancellationToken.None);
        Log.Information("BackendService applied the database migrations and exits ({Switch:l})", MigrateOnly.Switch);
        return 0;
    }

    app.UseApi();
    await app.RunAsync();
    Log.Information("BackendService shut down gracefully");
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    return StartupFailure.Report(ex);
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
