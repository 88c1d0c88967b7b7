using BackendService.Tests.Support;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace BackendService.Tests;

/// <summary>
/// Boots the service once for every test in this assembly (a SetUpFixture covers its own
/// namespace and below, hence the root namespace), on a database created fresh for it; migrations
/// are applied by the service itself on start, as in production.
/// </summary>
[SetUpFixture]
public sealed class TestHost
{
    public const string DatabaseName = "backendservice_tests";

    private static ApiFactory? _factory;
    private static Respawner? _respawner;

    internal static ApiFactory Factory => _factory ?? throw new InvalidOperationException("The test host is not running.");

    internal static string ConnectionString { get; private set; } = string.Empty;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ConnectionString = await TestDatabase.CreateFreshAsync(DatabaseName);
        _factory = new ApiFactory(ConnectionString);
        _factory.CreateClient().Dispose(); // starts the host, which migrates the database

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table("__ef_migrations_history")],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>Empties every table but the migrations history.</summary>
    internal static async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }
}
