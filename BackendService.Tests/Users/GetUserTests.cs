using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Users;

namespace BackendService.Tests.Users;

public sealed class GetUserTests : UsersTest
{
    [Test]
    public async Task Returns200_WithUserAndStrongETag()
    {
        var (created, etag) = await CreateUserAsync("get@example.com", "Getter");

        using var response = await Client.GetAsync($"{UsersPath}/{created.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadFromJsonAsync<UserResponse>(Json), Is.EqualTo(created));
        Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo(etag));
        Assert.That(response.Headers.ETag!.IsWeak, Is.False);
    }

    [Test]
    public async Task Returns304WithoutBody_WhenIfNoneMatchIsCurrent_And200OnceChanged()
    {
        var (created, etag) = await CreateUserAsync("cached@example.com", "Cached");

        using var notModified = await GetWithIfNoneMatchAsync(created.Id, etag);

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(notModified.Headers.ETag?.ToString(), Is.EqualTo(etag));

        using var put = await Client.PutAsJsonAsync($"{UsersPath}/{created.Id}", new { email = "cached@example.com", name = "Changed" });
        using var modified = await GetWithIfNoneMatchAsync(created.Id, etag);

        Assert.That(modified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await modified.Content.ReadFromJsonAsync<UserResponse>(Json))!.Name, Is.EqualTo("Changed"));
    }

    private async Task<HttpResponseMessage> GetWithIfNoneMatchAsync(Guid id, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{UsersPath}/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task Returns404_WhenIdUnknown()
    {
        await CreateUserAsync("someone@example.com");
        var path = $"{UsersPath}/{Guid.NewGuid()}";

        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo(path));
    }

    [TestCase("not-a-uuid")]
    [TestCase("123")]
    public async Task Returns400_WhenIdIsNotAUuid(string id)
    {
        using var response = await Client.GetAsync($"{UsersPath}/{id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("id", out _), Is.True, problem.ToString());
    }
}
