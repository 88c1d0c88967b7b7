using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// Database:ListFromStandbys with a primary and a streaming standby whose replay is paused, so
/// the standby lags: what a client sees. The list comes from the standby (the new user is not
/// in it until replay resumes); get by id, and so a PUT followed by a GET with If-None-Match,
/// read the primary and see the write at once.
/// </summary>
[Category("Failover")]
public sealed class ReadFromStandbyTests
{
    private const string Database = "backendservice_standby_reads";

    [Test]
    public async Task ListsComeFromTheStandby_AndMayLag_GetByIdReadsTheWriteAtOnce()
    {
        await using var replication = await StreamingReplication.StartAsync("standby-reads", Database, synchronous: false);
        await using var service = await PublishedService.StartReadyAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = replication.ServiceConnectionString(Database),
            ["Database__ListFromStandbys"] = "true",
        });
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var users = new UsersApi(client);
        var standby = StreamingReplication.Direct(replication.StandbyPort, Database);

        // The standby stops applying what it receives: from now on it lags.
        await TestDatabase.ExecuteAsync(standby, "SELECT pg_wal_replay_pause()");
        using var created = await users.CreateAsync(new { email = "lag@example.com", name = "Lagging" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var read = await users.GetAsync(id);
        var etag = read.Headers.ETag!.ToString();
        using var updated = await users.UpdateAsync(id, new { email = "lag@example.com", name = "Renamed" }, etag);
        using var readAfterWrite = new HttpRequestMessage(HttpMethod.Get, UsersApi.PathOf(id));
        readAfterWrite.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var afterUpdate = await client.SendAsync(readAfterWrite);
        var listedWhileLagging = await ListedIdsAsync(users);

        await TestDatabase.ExecuteAsync(standby, "SELECT pg_wal_replay_resume()");
        var watch = Stopwatch.StartNew();
        var listedAfterResume = await ListedIdsAsync(users);
        while (!listedAfterResume.Contains(id) && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            listedAfterResume = await ListedIdsAsync(users);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "get by id reads the primary: the new user is there at once");
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterUpdate.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old ETag no longer matches: the GET after the PUT saw the PUT");
            Assert.That(listedWhileLagging, Does.Not.Contain(id), "the list came from the lagging standby");
            Assert.That(listedAfterResume, Does.Contain(id), "once the standby caught up, the list shows the user");
        }
    }

    private static async Task<List<Guid>> ListedIdsAsync(UsersApi users)
    {
        using var response = await users.ListAsync("?limit=200");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(u => u.GetProperty("id").GetGuid())];
    }
}
