using System.Net;
using BackendService.Tests.Support;
using BackendService.Tests.Users;
using Npgsql;

namespace BackendService.Tests.Persistence;

/// <summary>A DATABASE_URL that lists several hosts (libpq's form) goes through Npgsql's multi-host data source.</summary>
public sealed class MultiHostTests
{
    [Test]
    public async Task AHostListWhoseFirstHostIsDown_ReachesTheLiveOne_ForReadsAndWrites()
    {
        var live = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateFreshAsync("backendservice_tests_multihost"));
        var nobodyListens = ExternalProcess.FreeLoopbackPort();
        var url = $"postgres://{live.Username}@127.0.0.1:{nobodyListens},{live.Host}:{live.Port}/{live.Database}?target_session_attrs=read-write&sslmode=disable";
        await using var factory = new ApiFactory(url);
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var created = await new UsersApi(client).CreateAsync(new { email = "multi@example.com", name = "Multi Host" });
        using var listed = await new UsersApi(client).ListAsync();

        Assert.That(new[] { ready.StatusCode, created.StatusCode, listed.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.That(await TestDatabase.ScalarAsync(live.ConnectionString, "SELECT count(*) FROM users"), Is.EqualTo(1));
    }
}
