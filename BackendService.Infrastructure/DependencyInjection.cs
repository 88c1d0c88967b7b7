using BackendService.Application;
using BackendService.Application.Idempotency;
using BackendService.Infrastructure.Health;
using BackendService.Infrastructure.Idempotency;
using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BackendService.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(o => o.Url = configuration["DATABASE_URL"] ?? o.Url)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // One data source (and so one connection pool) per process; the container disposes it
        // when the host is disposed, after the server has stopped, which closes its connections.
        services.AddSingleton(sp => PooledDataSource.Build(
            DatabaseConnectionString.Build(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value), "backendservice", sp.GetRequiredService<ILoggerFactory>()));

        // Pooled contexts: a request rents a reset DbContext instead of building one.
        services.AddDbContextPool<AppDbContext>((sp, options) => AppDbContext.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));

        // Each resource's repository (its IServiceModule).
        services.AddServiceModules(typeof(DependencyInjection).Assembly);
        services.AddScoped<HeldWrites>();
        services.AddTransient<DatabaseWrites>();
#if (ha)
        services.AddSingleton<StandbyReads>();
#endif

        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<ExpiredKeyPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiredKeyPurge>());

        services.AddSingleton<DatabaseMigrations>();
        services.AddHostedService<StartupMigration>();

        // Npgsql publishes its pool and command metrics and its command spans itself; whatever
        // OpenTelemetry the host sets up exports them too: the pool's state and each statement's
        // duration (a histogram, which counts statements as well). Not the three other
        // per-statement instruments (statements executing, bytes read, bytes written): four
        // measurements on every statement that the dashboards do not use.
#if (benchmark)
        // What they cost: bench/RESULTS.md.
#endif
        services.ConfigureOpenTelemetryMeterProvider(metrics =>
        {
            metrics.AddMeter("Npgsql");
            metrics.AddView("db.client.operation.npgsql.executing", MetricStreamConfiguration.Drop);
            metrics.AddView("db.client.operation.npgsql.bytes_read", MetricStreamConfiguration.Drop);
            metrics.AddView("db.client.operation.npgsql.bytes_written", MetricStreamConfiguration.Drop);
        });
        services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddSource("Npgsql"));

        // A singleton: its one shared check serves every probe (DatabaseHealthCheck).
        services.AddSingleton<DatabaseHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: DatabaseHealthCheck.Budget);

        return services;
    }

    /// <summary>Applies pending migrations and returns: the <c>--migrate-only</c> mode, for a Kubernetes Job or init container.</summary>
    public static Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DatabaseMigrations>().ApplyAsync(cancellationToken);
}
