using System.Net;
using BackendService.Tests.Users;

namespace BackendService.Tests.Conventions;

/// <summary>
/// Responses that carry personal data are for the client alone (Cache-Control: private,
/// no-cache), however they leave — and a conditional GET still works; Swagger UI may not be framed.
/// </summary>
public sealed class PrivacyHeadersTests : UsersTest
{
    [Test]
    public async Task EveryActionsAnswer_IsPrivate_AndRevalidationStillGets304()
    {
        var key = Guid.NewGuid().ToString();
        using var created = await Users.CreateAsync(new { email = "private@example.com", name = "Private" }, key);
        using var replayed = await Users.CreateAsync(new { email = "private@example.com", name = "Private" }, key);
        var id = created.Headers.Location!.ToString().Split('/')[^1];
        using var found = await Users.GetAsync(id);
        using var list = await Users.ListAsync();
        using var missing = await Users.GetAsync(Guid.NewGuid());
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, UsersApi.PathOf(id));
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", found.Headers.ETag!.ToString());
        using var notModified = await Client.SendAsync(revalidate);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, response) in new[] { ("create", created), ("replayed create", replayed), ("get", found), ("list", list), ("404", missing), ("304", notModified) })
            {
                Assert.That(response.Headers.CacheControl is { Private: true, NoCache: true, NoStore: false, MaxAge: null }, Is.True, $"{what}: {response.Headers.CacheControl}");
            }

            Assert.That(replayed.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        }
    }

    [Test]
    public async Task SwaggerUi_MayNotBeFramed()
    {
        using var ui = await Client.GetAsync("/swagger/index.html");

        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ui.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'"));
        Assert.That(ui.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
    }
}
