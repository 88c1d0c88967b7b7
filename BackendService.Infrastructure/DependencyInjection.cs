using BackendService.Application.Idempotency;
using BackendService.Application.Users;
using BackendService.Infrastructure.Health;
using BackendService.Infrastructure.Idempotency;
using BackendService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        services.AddSingleton(sp =>
        {
            var connectionString = DatabaseConnectionString.Build(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            var dataSource = new NpgsqlDataSourceBuilder(connectionString.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());

            // The pool's label in metrics; otherwise Npgsql uses the connection string.
            dataSource.Name = "backendservice";
            return dataSource.Build();
        });

        // Pooled contexts: a request rents a reset DbContext instead of building one.
        services.AddDbContextPool<AppDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.MigrationsHistoryTable(AppDbContext.MigrationsHistoryTable))

            // A context serves one request and is used by one operation at a time (the
            // repository awaits each query), so EF's per-query guard against concurrent use,
            // which writes an AsyncLocal on every query, only costs.
            .EnableThreadSafetyChecks(false)

            // EF logs every failed query or save at Error with a stack trace; the exception
            // then reaches the Api, which logs it once with the request's trace id.
            .ConfigureWarnings(warnings => warnings.Log(
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (RelationalEventId.CommandError, LogLevel.Debug))));

        // Stateless over the request's pooled context: transient, so the request scope does not
        // also keep it in its table of resolved services.
        services.AddTransient<IUserRepository, UserRepository>();
        services.AddScoped<RequestTransaction>();
        services.AddSingleton<StandbyReads>();

        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<ExpiredKeyPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiredKeyPurge>());

        services.AddSingleton<DatabaseMigrations>();
        services.AddHostedService<StartupMigration>();

        // Npgsql publishes its pool and command metrics and its command spans itself; whatever
        // OpenTelemetry the host sets up exports them too.
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Npgsql"));
        services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddSource("Npgsql"));

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: DatabaseHealthCheck.Budget);

        return services;
    }

    /// <summary>Applies pending migrations and returns: the <c>--migrate-only</c> mode, for a Kubernetes Job or init container.</summary>
    public static Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DatabaseMigrations>().ApplyAsync(cancellationToken);
}
