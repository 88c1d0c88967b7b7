using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Users;

namespace BackendService.Tests.Users;

public sealed class UpdateUserTests : UsersTest
{
    [Test]
    public async Task Returns200_WithNewValues_AdvancedUpdatedAt_AndNewETag()
    {
        var (user, etag) = await CreateUserAsync("old@example.com", "Old Name");

        using var response = await PutAsync(user.Id, new { email = " new@example.com ", name = " New Name " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var updated = await response.Content.ReadFromJsonAsync<UserResponse>(Json);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated!.Id, Is.EqualTo(user.Id));
            Assert.That(updated.Email, Is.EqualTo("new@example.com"));
            Assert.That(updated.Name, Is.EqualTo("New Name"));
            Assert.That(updated.CreatedAt, Is.EqualTo(user.CreatedAt));
            Assert.That(updated.UpdatedAt, Is.GreaterThan(user.UpdatedAt));
            Assert.That(response.Headers.ETag?.ToString(), Is.Not.EqualTo(etag));
        }

        using var get = await Client.GetAsync($"{UsersPath}/{user.Id}");
        Assert.That(await get.Content.ReadFromJsonAsync<UserResponse>(Json), Is.EqualTo(updated));
        Assert.That(get.Headers.ETag, Is.EqualTo(response.Headers.ETag));
    }

    [Test]
    public async Task Returns200_WhenIfMatchIsCurrent()
    {
        var (user, etag) = await CreateUserAsync("match@example.com", "Before");

        using var response = await PutAsync(user.Id, new { email = "match@example.com", name = "After" }, etag);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Returns200_WhenIfMatchIsStar()
    {
        var (user, _) = await CreateUserAsync("star@example.com", "Before");

        using var response = await PutAsync(user.Id, new { email = "star@example.com", name = "After" }, "*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Returns412_AndLeavesRowUnchanged_WhenIfMatchIsStale()
    {
        var (user, staleETag) = await CreateUserAsync("stale@example.com", "Original");
        using var first = await PutAsync(user.Id, new { email = "stale@example.com", name = "First Writer" }, staleETag);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var second = await PutAsync(user.Id, new { email = "stale@example.com", name = "Second Writer" }, staleETag);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        await ExpectProblemAsync(second);
        using var get = await Client.GetAsync($"{UsersPath}/{user.Id}");
        var current = await get.Content.ReadFromJsonAsync<UserResponse>(Json);
        Assert.That(current!.Name, Is.EqualTo("First Writer"));
        Assert.That(get.Headers.ETag, Is.EqualTo(first.Headers.ETag));
    }

    [Test]
    public async Task Returns412_WhenIfMatchIsWeak()
    {
        var (user, etag) = await CreateUserAsync("weak@example.com", "Original");

        using var response = await PutAsync(user.Id, new { email = "weak@example.com", name = "Changed" }, "W/" + etag);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE name = 'Original'"), Is.EqualTo(1));
    }

    [Test]
    public async Task ConcurrentUpdatesWithSameIfMatch_ExactlyOneWins()
    {
        var (user, etag) = await CreateUserAsync("contended@example.com", "Original");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await PutAsync(user.Id, new { email = "contended@example.com", name = $"Writer {i}" }, etag);
            return response.StatusCode;
        }));

        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(statuses.Count(s => s == HttpStatusCode.PreconditionFailed), Is.EqualTo(7));
    }

    [Test]
    public async Task Returns409_WhenEmailBelongsToAnotherUser()
    {
        await CreateUserAsync("taken@example.com", "Owner");
        var (user, _) = await CreateUserAsync("mine@example.com", "Me");

        using var response = await PutAsync(user.Id, new { email = "TAKEN@example.com", name = "Me" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await ExpectProblemAsync(response);
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE email = 'mine@example.com'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Returns200_WhenOnlyTheCaseOfOwnEmailChanges()
    {
        var (user, _) = await CreateUserAsync("case@example.com");

        using var response = await PutAsync(user.Id, new { email = "Case@Example.com", name = "Test User" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Returns400_AndChangesNothing_WhenInputInvalid()
    {
        var (user, _) = await CreateUserAsync("valid@example.com", "Valid");

        using var response = await PutAsync(user.Id, new { email = "broken", name = "" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ExpectProblemAsync(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "email", "name" }));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE email = 'valid@example.com' AND name = 'Valid'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Returns400_WhenUnknownPropertySent()
    {
        var (user, _) = await CreateUserAsync("typo@example.com");

        using var response = await Client.PutAsync($"{UsersPath}/{user.Id}", CreateUserTests.JsonBody("""{"email":"typo@example.com","nmae":"X"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ExpectProblemAsync(response)).GetProperty("errors").TryGetProperty("nmae", out _), Is.True);
    }

    [Test]
    public async Task Returns400_WhenIdIsNotAUuid()
    {
        using var response = await PutAsync("abc", new { email = "a@example.com", name = "A" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Returns404_WhenIdUnknown()
    {
        using var response = await PutAsync(Guid.NewGuid(), new { email = "ghost@example.com", name = "Ghost" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users"), Is.Zero);
    }

    [Test]
    public async Task Returns415_WhenBodyIsNotJson()
    {
        var (user, _) = await CreateUserAsync("plain@example.com");

        using var response = await Client.PutAsync($"{UsersPath}/{user.Id}", new StringContent("hello"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    private async Task<HttpResponseMessage> PutAsync(object id, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{UsersPath}/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Client.SendAsync(request);
    }
}
