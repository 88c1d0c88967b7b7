using System.Net.Http.Json;
using System.Text.Json;
using BackendService.Application.Users;

namespace BackendService.Tests.Support;

/// <summary>
/// Base of the HTTP tests: data is reset before each test (so a failed test's rows stay
/// around to look at), and each test makes the data it needs.
/// </summary>
public abstract class ApiTest
{
    protected const string UsersPath = UsersApi.Path;

    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The Users operations over <see cref="Client"/>.</summary>
    private protected UsersApi Users => new(Client);

    [SetUp]
    public async Task ResetDatabaseAsync()
    {
        await TestHost.ResetAsync();
        Client = TestHost.Factory.CreateClient();
    }

    [TearDown]
    public void DisposeClient() => Client.Dispose();

    protected async Task<(UserResponse User, string ETag)> CreateUserAsync(string email, string name = "Test User")
    {
        using var response = await Users.CreateAsync(new { email, name });
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var user = await response.Content.ReadFromJsonAsync<UserResponse>(Json);
        return (user!, response.Headers.ETag!.ToString());
    }

    /// <summary>Asserts that the response is <c>application/problem+json</c>, and gives its body.</summary>
    protected static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    protected static Task<long> ScalarAsync(string sql, params object[] parameters) =>
        TestDatabase.ScalarAsync(TestHost.ConnectionString, sql, parameters);
}
