using System.Net;

namespace BackendService.Tests.Users;

public sealed class DeleteUserTests : UsersTest
{
    [Test]
    public async Task Returns204_AndTheUserIsGone()
    {
        var (user, _) = await CreateUserAsync("delete@example.com");
        var (other, _) = await CreateUserAsync("keep@example.com");

        using var response = await Client.DeleteAsync($"{UsersPath}/{user.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var get = await Client.GetAsync($"{UsersPath}/{user.Id}");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ScalarAsync("SELECT count(*) FROM users WHERE id = $1", other.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task FreesTheEmailForANewUser()
    {
        var (user, _) = await CreateUserAsync("reuse@example.com");
        using var _ = await Client.DeleteAsync($"{UsersPath}/{user.Id}");

        var (again, _) = await CreateUserAsync("Reuse@example.com");

        Assert.That(again.Id, Is.Not.EqualTo(user.Id));
    }

    [Test]
    public async Task Returns404_WhenIdUnknown()
    {
        using var response = await Client.DeleteAsync($"{UsersPath}/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await ExpectProblemAsync(response);
    }

    [Test]
    public async Task Returns404_WhenDeletedTwice()
    {
        var (user, _) = await CreateUserAsync("twice@example.com");
        using var first = await Client.DeleteAsync($"{UsersPath}/{user.Id}");

        using var second = await Client.DeleteAsync($"{UsersPath}/{user.Id}");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
