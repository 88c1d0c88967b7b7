using System.Net.Http.Json;
using System.Text.Json;

namespace BackendService.Tests.Support;

/// <summary>
/// Base of the HTTP tests: data is reset before each test (so a failed test's rows stay
/// around to look at), and each test makes the data it needs. Knows no resource: a resource's
/// tests add their own typed client (Users/UsersTest).
/// </summary>
public abstract class ApiTest
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected HttpClient Client { get; private set; } = null!;

    [SetUp]
    public async Task ResetDatabaseAsync()
    {
        await TestHost.ResetAsync();
        Client = TestHost.Factory.CreateClient();
    }

    [TearDown]
    public void DisposeClient() => Client.Dispose();

    /// <summary>Asserts that the response is <c>application/problem+json</c>, and gives its body.</summary>
    protected static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>Asserts that the response has <paramref name="expected"/> as its status, showing the body when it has not.</summary>
    protected static async Task ExpectStatusAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected) =>
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());

    protected static Task<long> ScalarAsync(string sql, params object[] parameters) =>
        TestDatabase.ScalarAsync(TestHost.ConnectionString, sql, parameters);
}
