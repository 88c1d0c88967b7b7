using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;
using Npgsql;

namespace BackendService.Tests.Deployment;

/// <summary>
/// The service through a real PgBouncer in transaction mode, with the settings the README
/// gives for it: auto-prepare off (PgBouncer 1.18 cannot carry prepared statements between
/// server connections), migrations on a direct connection (the advisory lock is per session).
/// </summary>
public sealed class PgBouncerTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Test]
    public async Task TransactionMode_EveryUsersOperationWorks_AndTheTrafficGoesThroughPgBouncer()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateFreshAsync("backendservice_tests_pgbouncer"));

        // Migrate directly, as the migration Job does.
        await using (var migrator = new ApiFactory(direct.ConnectionString))
        {
            using var ready = await migrator.CreateClient().GetAsync("/health/ready");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Two server connections for a pool of twenty: transactions of different requests
        // share server sessions, which is what breaks session state and prepared statements.
        var pgBouncer = await PgBouncer.StartAsync(direct, serverConnections: 2);
        try
        {
            await using var factory = new ApiFactory(pgBouncer.ConnectionStringFor(direct.Database!, direct.Username!), new Dictionary<string, string?>
            {
                ["Database:MaxAutoPrepare"] = "0",
                ["Database:MigrateOnStartup"] = "false",
                ["Database:MinPoolSize"] = "0",
            });
            using var client = factory.CreateClient();
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK), pgBouncer.Output);

            // Concurrent creates, each statement repeated far past the auto-prepare threshold.
            var created = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
            {
                using var response = await new UsersApi(client).CreateAsync(new { email = $"bouncer{i}@example.com", name = $"Bouncer {i}" });
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
                return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
            }));
            var reads = await Task.WhenAll(created.Select(id => new UsersApi(client).GetAsync(id)));
            Assert.That(reads.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));

            using var duplicate = await new UsersApi(client).CreateAsync(new { email = "BOUNCER0@example.com", name = "Again" });
            using var page = await new UsersApi(client).ListAsync("?limit=200");
            var listed = (await page.Content.ReadFromJsonAsync<JsonElement>(Json)).GetArrayLength();

            // Optimistic concurrency (the version column) through PgBouncer: a stale ETag is refused.
            var id = created[0];
            using var current = await new UsersApi(client).GetAsync(id);
            var etag = current.Headers.ETag!.ToString();
            using var updated = await new UsersApi(client).UpdateAsync(id, new { email = "bouncer0@example.com", name = "Renamed" }, etag);
            using var staleResult = await new UsersApi(client).UpdateAsync(id, new { email = "bouncer0@example.com", name = "Lost" }, etag);
            using var deleted = await new UsersApi(client).DeleteAsync(created[1]);

            // Idempotency-Key through PgBouncer: the transaction-scoped lock and the stored answer.
            var keyed = new { email = "keyed@example.com", name = "Keyed" };
            var keyedAnswers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => new UsersApi(client).CreateAsync(keyed, "bouncer-key")));
            using var keyedRetry = await new UsersApi(client).CreateAsync(keyed, "bouncer-key");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
                Assert.That(listed, Is.EqualTo(60));
                Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(staleResult.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
                Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                Assert.That(keyedAnswers.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.Conflict).And.Some.EqualTo(HttpStatusCode.Created));
                Assert.That(keyedRetry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                Assert.That(keyedRetry.Headers.Contains("Idempotent-Replayed"), Is.True);
                Assert.That(await TestDatabase.ScalarAsync(direct.ConnectionString, "SELECT count(*) FROM users"), Is.EqualTo(60), "59 and the keyed one, once");
                Assert.That(await TestDatabase.ScalarAsync(direct.ConnectionString, "SELECT count(*) FROM users WHERE name = 'Renamed'"), Is.EqualTo(1));
            }

            // The service reached PostgreSQL only through PgBouncer: without it, not ready.
            await pgBouncer.DisposeAsync();
            using var withoutPgBouncer = await Readiness.AwaitAsync(client, HttpStatusCode.ServiceUnavailable);
            Assert.That(withoutPgBouncer.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }
        finally
        {
            await pgBouncer.DisposeAsync();
        }
    }
}
