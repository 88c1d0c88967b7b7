using BackendService.Infrastructure;
using BackendService.Infrastructure.Persistence;
using BackendService.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackendService.Tests.Persistence;

public sealed class MigrationTests
{
    [Test]
    public async Task ReplicasMigratingAtOnce_ApplyEachMigrationExactlyOnce()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_migrations");
        var replicas = Enumerable.Range(0, 4).Select(_ => BuildReplica(connectionString)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(services => Task.Run(async () =>
            {
                await services.MigrateDatabaseAsync(CancellationToken.None);
            })));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM __ef_migrations_history"), Is.EqualTo(1));
                Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ux_users_email_lower'"), Is.EqualTo(1));
                Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_created_at_id'"), Is.EqualTo(1));
                Assert.That(replicas.All(r => r.GetRequiredService<DatabaseMigrations>().SchemaIsCurrent), Is.True);
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Schema_HasTheContractsColumns()
    {
        var columns = new List<string>();
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        Assert.That(columns, Is.EqualTo(new[] { "id", "email", "name", "created_at", "updated_at" }));
    }

    private static ServiceProvider BuildReplica(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = connectionString, ["Database:MinPoolSize"] = "0" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration);
        return services.BuildServiceProvider();
    }
}
