using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Infrastructure.Idempotency;
using BackendService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Tests.Users;

/// <summary>
/// POST with an Idempotency-Key: a retry gets the first answer again and writes nothing, the
/// key with another request is refused, concurrent requests with one key create one user, and
/// keys expire and are purged.
/// </summary>
public sealed class IdempotentCreateTests : UsersTest
{
    [Test]
    public async Task Retry_GetsTheFirstResponseByteForByte_MarkedReplayed_AndWritesNothing()
    {
        var body = new { email = "once@example.com", name = "Once" };
        using var first = await Users.CreateAsync(body, "key-1");
        using var retry = await Users.CreateAsync(body, "key-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(await retry.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(retry.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(retry.Content.Headers.ContentType, Is.EqualTo(first.Content.Headers.ContentType));
            Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task SameKey_WithADifferentBody_Is422Problem_AndWritesNothing()
    {
        using var first = await Users.CreateAsync(new { email = "a@example.com", name = "A" }, "key-2");
        using var other = await Users.CreateAsync(new { email = "b@example.com", name = "B" }, "key-2");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(other.StatusCode, Is.EqualTo((HttpStatusCode)422));
        Assert.That((await ExpectProblemAsync(other)).GetProperty("detail").GetString(), Does.Contain("Idempotency-Key"));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task ARejectedFirstRequest_IsReplayedToo_SoTheAnswerToAKeyNeverChanges()
    {
        var (someoneElse, _) = await CreateUserAsync("taken@example.com");
        var taken = new { email = "taken@example.com", name = "Me" };
        using var conflict = await Users.CreateAsync(taken, "key-3");
        await Users.DeleteAsync(someoneElse.Id);
        using var afterTheEmailIsFree = await Users.CreateAsync(taken, "key-3");

        var invalid = new { email = "not-an-address", name = "Me" };
        using var badRequest = await Users.CreateAsync(invalid, "key-4");
        using var badRequestAgain = await Users.CreateAsync(invalid, "key-4");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(conflict.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(afterTheEmailIsFree.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the key was answered 409; it stays 409");
            Assert.That(await afterTheEmailIsFree.Content.ReadAsByteArrayAsync(), Is.EqualTo(await conflict.Content.ReadAsByteArrayAsync()));
            Assert.That(afterTheEmailIsFree.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That(badRequest.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await badRequestAgain.Content.ReadAsByteArrayAsync(), Is.EqualTo(await badRequest.Content.ReadAsByteArrayAsync()));
            Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
        }
    }

    [Test]
    public async Task TwentyConcurrentRequestsWithOneKey_CreateOneUser_EachAnswerIsThe201OrA409InFlight()
    {
        var body = new { email = "concurrent@example.com", name = "Concurrent" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Users.CreateAsync(body, "key-concurrent")));
        try
        {
            var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
            var inFlight = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
            var ids = await Task.WhenAll(created.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid()));
            TestContext.Out.WriteLine($"20 concurrent requests with one key: {created.Count} x 201 ({created.Count(r => r.Headers.Contains("Idempotent-Replayed"))} replayed), {inFlight.Count} x 409 in flight");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(created.Count + inFlight.Count, Is.EqualTo(20), string.Join(", ", responses.Select(r => r.StatusCode)));
                Assert.That(created, Is.Not.Empty);
                Assert.That(ids.Distinct().Count(), Is.EqualTo(1), "every 201 names the one user");
                foreach (var response in inFlight)
                {
                    Assert.That(response.Headers.RetryAfter, Is.Not.Null);
                    Assert.That((await ExpectProblemAsync(response)).GetProperty("detail").GetString(), Does.Contain("still being processed"));
                }

                Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task WhenTheUserCannotBeInserted_TheKeyIsNotStoredEither_AndTheRetryCreatesIt()
    {
        var body = new { email = "atomic@example.com", name = "Atomic" };
        HttpStatusCode failed;
        await using (var blocker = await LockUsersTableAsync())
        {
            // The key's row goes in first; the user's insert then waits past the command timeout.
            using var response = await Users.CreateAsync(body, "key-atomic");
            failed = response.StatusCode;
            Assert.That(await ScalarAsync("SELECT count(*) FROM idempotency_keys"), Is.Zero, "the key was rolled back with the insert");
        }

        using var retry = await Users.CreateAsync(body, "key-atomic");

        Assert.That(failed, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.False, "the failed attempt left no answer behind");
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task TheKeyWhileItsFirstRequestIsInTheDatabase_Is409InFlightWithRetryAfter_AndTheRetryGetsTheFirstAnswer()
    {
        var body = new { email = "in-flight@example.com", name = "In Flight" };
        Task<HttpResponseMessage> first;
        HttpResponseMessage second;
        await using (var blocker = await LockUsersTableAsync())
        {
            first = Users.CreateAsync(body, "key-in-flight");
            // In the database: it holds the key's lock and waits on the users table.
            const string keysLockHeld = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)";
            for (var waited = 0; await ScalarAsync(keysLockHeld, "*\nkey-in-flight") == 0; waited += 20)
            {
                Assert.That(waited, Is.LessThan(2000), "the first request never took the key's lock");
                await Task.Delay(20);
            }

            second = await Users.CreateAsync(body, "key-in-flight");
        }

        using var firstResponse = await first;
        using var secondResponse = second;
        using var retry = await Users.CreateAsync(body, "key-in-flight");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secondResponse.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(secondResponse.Headers.RetryAfter, Is.Not.Null);
            Assert.That((await ExpectProblemAsync(secondResponse)).GetProperty("detail").GetString(), Does.Contain("still being processed"));
            Assert.That(firstResponse.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That(await retry.Content.ReadAsByteArrayAsync(), Is.EqualTo(await firstResponse.Content.ReadAsByteArrayAsync()));
            Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.EqualTo(1));
        }
    }

    /// <summary>Holds an exclusive lock on the users table (inserts wait) until disposed.</summary>
    private static async Task<Npgsql.NpgsqlConnection> LockUsersTableAsync()
    {
        var blocker = new Npgsql.NpgsqlConnection(TestHost.ConnectionString);
        await blocker.OpenAsync();
        await using var lockUsers = new Npgsql.NpgsqlCommand("BEGIN; LOCK TABLE users IN EXCLUSIVE MODE;", blocker);
        await lockUsers.ExecuteNonQueryAsync();
        return blocker;
    }

    [TestCase("has space")]
    [TestCase("clé")]
    public async Task AKeyThatIsNotPrintableAscii_Is400OnTheHeader_AndWritesNothing(string key)
    {
        using var response = await Users.CreateAsync(new { email = "k@example.com", name = "K" }, key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True);
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task AKeyOver255Characters_Is400()
    {
        using var response = await Users.CreateAsync(new { email = "k@example.com", name = "K" }, new string('k', 256));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task AnExpiredKey_IsFreeAgain_AndThePurgeDeletesExpiredKeysInBatches()
    {
        await using var factory = new ApiFactory(TestHost.ConnectionString, new Dictionary<string, string?>
        {
            ["Idempotency:KeyLifetimeSeconds"] = "1",
            ["Idempotency:PurgeBatchSize"] = "2",
        });
        using var client = factory.CreateClient();
        var users = new UsersApi(client);
        for (var i = 0; i < 3; i++)
        {
            using var created = await users.CreateAsync(new { email = $"exp{i}@example.com", name = "Expiring" }, $"exp-{i}");
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var reused = await users.CreateAsync(new { email = "other@example.com", name = "Other" }, "exp-0");
        Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Created), "expired: the key answers a new request");

        var purged = await factory.Services.GetRequiredService<ExpiredKeyPurge>().PurgeAsync(CancellationToken.None);

        Assert.That(purged, Is.EqualTo(2), "exp-1 and exp-2 (exp-0 was stored again)");
        Assert.That(await ScalarAsync("SELECT count(*) FROM idempotency_keys"), Is.EqualTo(1));
    }
}
