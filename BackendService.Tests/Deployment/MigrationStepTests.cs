using System.Net;
using BackendService.Infrastructure.Persistence;
using BackendService.Tests.Persistence;
using BackendService.Tests.Support;
using Npgsql;

namespace BackendService.Tests.Deployment;

/// <summary>Migrations as a step of their own (<c>--migrate-only</c>, a Kubernetes Job), and startup migration turned off.</summary>
public sealed class MigrationStepTests
{
    [Test]
    public async Task MigrateOnly_AppliesTheMigrations_AndExitsZero_AndASecondRunFindsNothingToDo()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_migrate_only");
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = connectionString };

        await using (var first = await PublishedService.StartAsync(environment, ["--migrate-only"]))
        {
            var exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.Zero, string.Join('\n', first.Lines));
                Assert.That(first.Lines, Has.Some.Contains($"Applying {MigrationTests.MigrationCount()} database migration"));
                Assert.That(first.Lines, Has.None.Contains("Now listening"), "no HTTP server in this mode");
            }
        }

        await using (var second = await PublishedService.StartAsync(environment, ["--migrate-only"]))
        {
            var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.Zero, string.Join('\n', second.Lines));
                Assert.That(second.Lines, Has.None.Contains("Applying"));
                Assert.That(second.Lines, Has.Some.Contains("Database schema is up to date"));
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await TestDatabase.ScalarAsync(connectionString, $"SELECT count(*) FROM {AppDbContext.MigrationsHistoryTable}"), Is.EqualTo(MigrationTests.MigrationCount()));
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ux_users_email_key'"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task StartupMigration_KeepsThePortClosedUntilItHasFinished()
    {
        // The migration begins while the pipeline is built (to start sooner); the server must
        // still not listen before it is done. Holding the migration lock holds the migration.
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_startup_order");
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseMigrations.AdvisoryLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        await using var service = await PublishedService.StartAsync(new Dictionary<string, string> { ["DATABASE_URL"] = connectionString });
        await WaitUntilAsync(async () => await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(service.HasExited, Is.False, string.Join('\n', service.Lines));
            Assert.That(await ExternalProcess.AcceptsConnectionsAsync(service.Port), Is.False, "listening while the migration waits");
            Assert.That(service.Lines, Has.None.Contains("Now listening"));
        }

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseMigrations.AdvisoryLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), Is.True, string.Join('\n', service.Lines));
            Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task MigrateOnly_WithABadSetting_ExitsWithTheConfigurationCode()
    {
        await using var service = await PublishedService.StartAsync(new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://app:pw@:notaport/db" }, ["--migrate-only"]);
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), string.Join('\n', service.Lines));
    }

    [Test]
    public async Task StartupMigrationOff_NotReadyUntilTheSchemaIsMigrated_ThenReady()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_no_startup_migration");
        await using var factory = new ApiFactory(connectionString, new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        using var client = factory.CreateClient();

        using (var notReady = await client.GetAsync("/health/ready"))
        using (var live = await client.GetAsync("/health/live"))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive: a restart would not help");
                Assert.That(await TestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"), Is.Zero, "the service changed no schema");
            }
        }

        // The migration Job's part, done by another instance (migrating at startup, the default).
        await using (var migrator = new ApiFactory(connectionString))
        {
            using var migrated = await migrator.CreateClient().GetAsync("/health/ready");
            Assert.That(migrated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var ready = await Readiness.AwaitAsync(client, HttpStatusCode.OK);
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task StartupMigrationOff_DatabaseUnreachable_StartsAliveButNotReady()
    {
        // A port nothing listens on: connections are refused at once.
        var nowhere = $"Host=127.0.0.1;Port={ExternalProcess.FreeLoopbackPort()};Username=postgres;Database=nowhere";
        await using var factory = new ApiFactory(nowhere, new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["Database:MinPoolSize"] = "0" });
        using var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
