using BackendService.Infrastructure.Persistence;
using BackendService.Tests.Support;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace BackendService.Tests;

/// <summary>
/// The service, booted once for every test that uses it, on a database created fresh for it;
/// migrations are applied by the service itself on start, as in production. It starts on
/// first use, not for the whole assembly, so tests that need no database (Unit/) run without
/// PostgreSQL in milliseconds. A SetUpFixture covers its own namespace and below, hence the root
/// namespace: it stops the host after the last test, if one was started.
/// </summary>
[SetUpFixture]
public sealed class TestHost
{
    public const string DatabaseName = "backendservice_tests";

    private static readonly Lazy<Task<RunningHost>> Running = new(StartAsync);

    /// <summary>The running service (started now if it is not yet).</summary>
    internal static ApiFactory Factory => Host.Factory;

    internal static string ConnectionString => Host.ConnectionString;

    // NUnit runs tests without a synchronisation context, so waiting here cannot deadlock.
    private static RunningHost Host => Running.Value.GetAwaiter().GetResult();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Running.IsValueCreated && Running.Value.IsCompletedSuccessfully)
        {
            await Running.Value.Result.Factory.DisposeAsync();
        }
    }

    /// <summary>Empties every table but the migrations history.</summary>
    internal static async Task ResetAsync()
    {
        var host = await Running.Value;
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await host.Respawner.ResetAsync(connection);
    }

    private static async Task<RunningHost> StartAsync()
    {
        var connectionString = await TestDatabase.CreateFreshAsync(DatabaseName);
        var factory = new ApiFactory(connectionString);
        factory.CreateClient().Dispose(); // starts the host, which migrates the database

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table(AppDbContext.MigrationsHistoryTable)],
        });
        return new RunningHost(factory, connectionString, respawner);
    }

    private sealed record RunningHost(ApiFactory Factory, string ConnectionString, Respawner Respawner);
}
