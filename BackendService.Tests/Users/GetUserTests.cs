using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Users;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

public sealed class GetUserTests : ApiTest
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
    public async Task Returns404_WhenIdUnknown()
    {
        await CreateUserAsync("someone@example.com");
        var path = $"{UsersPath}/{Guid.NewGuid()}";

        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await ReadProblemAsync(response);
        Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo(path));
    }

    [TestCase("not-a-uuid")]
    [TestCase("123")]
    public async Task Returns400_WhenIdIsNotAUuid(string id)
    {
        using var response = await Client.GetAsync($"{UsersPath}/{id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ReadProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("id", out _), Is.True, problem.ToString());
    }
}
