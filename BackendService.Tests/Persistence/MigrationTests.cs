using BackendService.Domain.Users;
using BackendService.Infrastructure;
using BackendService.Infrastructure.Persistence;
using BackendService.Tests.Support;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
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
                Assert.That(await TestDatabase.ScalarAsync(connectionString, $"SELECT count(*) FROM {AppDbContext.MigrationsHistoryTable}"), Is.EqualTo(MigrationCount()));
                Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ux_users_email_key'"), Is.EqualTo(1));
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

        Assert.That(columns, Is.EqualTo(new[] { "id", "email", "name", "created_at", "updated_at", "email_key", "version", "identity_issuer", "identity_subject" }));
    }

    [Test]
    public async Task Version_StartsAt1_AndEveryUpdateBumpsIt_WhateverTheUpdateSays()
    {
        // As a replica of the release before the column writes: it names neither on insert nor on update.
        var connectionString = TestHost.ConnectionString;
        await TestDatabase.ScalarAsync(connectionString, "INSERT INTO users (id, email, email_key, name, created_at, updated_at) VALUES ('00000000-0000-4000-8000-00000000000a', 'v@x.io', 'v@x.io', 'V', now(), now())");
        const string version = "SELECT version FROM users WHERE id = '00000000-0000-4000-8000-00000000000a'";
        var created = await TestDatabase.ScalarAsync(connectionString, version);
        await TestDatabase.ScalarAsync(connectionString, "UPDATE users SET name = 'W' WHERE id = '00000000-0000-4000-8000-00000000000a'");
        var updated = await TestDatabase.ScalarAsync(connectionString, version);
        await TestDatabase.ScalarAsync(connectionString, "UPDATE users SET version = 1 WHERE id = '00000000-0000-4000-8000-00000000000a'");
        var setBack = await TestDatabase.ScalarAsync(connectionString, version);
        await TestDatabase.ScalarAsync(connectionString, "DELETE FROM users WHERE id = '00000000-0000-4000-8000-00000000000a'");

        Assert.That((created, updated, setBack), Is.EqualTo((1L, 2L, 3L)), "a version never repeats for a row, so an old ETag never matches again");
    }

    [Test]
    public async Task AMigrationThatCreatesATableWithAVersionColumn_AttachesTheSharedVersionTrigger()
    {
        // What `dotnet ef migrations add` writes for a new resource's table: no trigger SQL in it.
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_version_trigger");
        await using var services = BuildReplica(connectionString);
        await services.MigrateDatabaseAsync(CancellationToken.None);
        var createTable = new CreateTableOperation
        {
            Name = "widgets",
            Columns =
            {
                new AddColumnOperation { Name = "id", Table = "widgets", ClrType = typeof(Guid), ColumnType = "uuid" },
                new AddColumnOperation { Name = "version", Table = "widgets", ClrType = typeof(long), ColumnType = "bigint" },
            },
        };
        using (var scope = services.CreateScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var commands = context.GetService<IMigrationsSqlGenerator>().Generate([createTable]);
            foreach (var command in commands)
            {
                await TestDatabase.ScalarAsync(connectionString, command.CommandText);
            }
        }

        await TestDatabase.ScalarAsync(connectionString, "INSERT INTO widgets (id, version) VALUES ('00000000-0000-4000-8000-00000000000b', 1)");
        await TestDatabase.ScalarAsync(connectionString, "UPDATE widgets SET version = 1");
        await TestDatabase.ScalarAsync(connectionString, "UPDATE widgets SET version = 1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT version FROM widgets"), Is.EqualTo(3L), "the new table's version moves on every update");
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(DISTINCT tgfoid) FROM pg_trigger WHERE tgname IN ('users_version', 'widgets_version')"), Is.EqualTo(1L), "one function serves both tables");
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_proc WHERE proname = 'users_bump_version'"), Is.Zero, "the per-table function is gone");
        }
    }

    [Test]
    public async Task EmailKeyMigration_KeysExistingRows_AndKeepsThoseThatNowCollide()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_email_key");
        await using var services = BuildReplica(connectionString);
        using (var scope = services.CreateScope())
        {
            var migrator = scope.ServiceProvider.GetRequiredService<AppDbContext>().GetService<IMigrator>();
            await migrator.MigrateAsync("20261130005643_InitialCreate");
        }

        // lower(email) told the NFC and NFD spellings of one address apart; the key does not.
        const string insert = "INSERT INTO users (id, email, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'N', $2, $2)";
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await TestDatabase.ScalarAsync(connectionString, insert, "Ann.Example@Example.COM", start);
        await TestDatabase.ScalarAsync(connectionString, insert, "\u00e9@x.io", start.AddSeconds(1));
        await TestDatabase.ScalarAsync(connectionString, insert, "e\u0301@x.io", start.AddSeconds(2));

        await services.MigrateDatabaseAsync(CancellationToken.None);

        var keys = await TestDatabase.ListAsync(connectionString, "SELECT email_key FROM users ORDER BY created_at");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys[0], Is.EqualTo(EmailAddress.TryCreate("Ann.Example@Example.COM", out _)!.Key), "an ASCII address gets exactly the service's key");
            Assert.That(keys[1], Is.EqualTo("\u00e9@x.io"), "the older of two colliding rows keeps the key");
            Assert.That(keys[2], Does.StartWith("\u00e9@x.io duplicate of an older account "), "the later one is kept, its key marked");
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ux_users_email_lower'"), Is.Zero);
        }
    }

    internal static int MigrationCount() =>
        typeof(AppDbContext).Assembly.GetTypes().Count(type => type.IsSubclassOf(typeof(Migration)));

    private static ServiceProvider BuildReplica(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = connectionString, ["Database:MinPoolSize"] = "0" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration);
        return services.BuildServiceProvider();
    }
}
