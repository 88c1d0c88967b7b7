using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Users;
using BackendService.Tests.Support;

namespace BackendService.Tests.Users;

/// <summary>Base of the tests that use the Users API: its typed client and a way to make a user.</summary>
public abstract class UsersTest : ApiTest
{
    protected const string UsersPath = UsersApi.Path;

    /// <summary>The Users operations over <see cref="ApiTest.Client"/>.</summary>
    private protected UsersApi Users => new(Client);

    protected async Task<(UserResponse User, string ETag)> CreateUserAsync(string email, string name = "Test User")
    {
        using var response = await Users.CreateAsync(new { email, name });
        await ExpectStatusAsync(response, HttpStatusCode.Created);
        var user = await response.Content.ReadFromJsonAsync<UserResponse>(Json);
        return (user!, response.Headers.ETag!.ToString());
    }
}
