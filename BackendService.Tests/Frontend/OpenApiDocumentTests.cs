using System.Text.Json;
using BackendService.Api.Security;
using BackendService.Tests.Support;

namespace BackendService.Tests.Frontend;

/// <summary>
/// The OpenAPI document the running service serves, checked the way frontend teams use it:
/// its content, an established linter (Redocly CLI, recommended rules), and a TypeScript client
/// generated from it (openapi-typescript) that must type-check code creating and fetching a user.
/// </summary>
[Category("Frontend")]
public sealed class OpenApiDocumentTests : ApiTest
{
    private static readonly string FrontendDirectory = Path.Combine(TestDatabase.RepositoryRoot(), "frontend");

    [Test]
    public async Task EveryOperation_HasAStableIdSummaryAndTheContractsStatuses()
    {
        var document = await GetDocumentAsync();
        var paths = document.GetProperty("paths");
        var expected = new Dictionary<(string Path, string Method), (string OperationId, string[] Statuses)>
        {
            [(UsersApi.Path, "post")] = ("createUser", ["201", "400", "401", "403", "409", "413", "415", "429", "503", "504"]),
            [(UsersApi.Path, "get")] = ("listUsers", ["200", "400", "401", "403", "429", "503", "504"]),
            [(UsersApi.Path + "/{id}", "get")] = ("getUser", ["200", "304", "400", "401", "403", "404", "429", "503", "504"]),
            [(UsersApi.Path + "/{id}", "put")] = ("updateUser", ["200", "400", "401", "403", "404", "409", "412", "413", "415", "429", "503", "504"]),
            [(UsersApi.Path + "/{id}", "delete")] = ("deleteUser", ["204", "400", "401", "403", "404", "429", "503", "504"]),
        };

        using (Assert.EnterMultipleScope())
        {
            foreach (var ((path, method), (operationId, statuses)) in expected)
            {
                var operation = paths.GetProperty(path).GetProperty(method);
                Assert.That(operation.GetProperty("operationId").GetString(), Is.EqualTo(operationId));
                Assert.That(operation.GetProperty("summary").GetString(), Is.Not.Empty, operationId);
                var declared = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.That(declared, Is.SupersetOf(statuses), operationId);
                foreach (var status in declared.Where(s => s.StartsWith('4') || s.StartsWith('5')))
                {
                    var content = operation.GetProperty("responses").GetProperty(status).GetProperty("content");
                    Assert.That(content.TryGetProperty("application/problem+json", out _), Is.True, $"{operationId} {status} is ProblemDetails");
                }
            }
        }
    }

    [TestCase("createUser", Scopes.UsersWrite)]
    [TestCase("listUsers", Scopes.UsersRead)]
    [TestCase("getUser", Scopes.UsersRead)]
    [TestCase("updateUser", Scopes.UsersWrite)]
    [TestCase("deleteUser", Scopes.UsersWrite)]
    public async Task EveryOperation_NeedsTheBearerScheme_AndNamesItsScope(string operationId, string scope)
    {
        var document = await GetDocumentAsync();
        var operation = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Single(o => o.Value.TryGetProperty("operationId", out var id) && id.GetString() == operationId).Value;
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()), Is.EqualTo(("http", "bearer")));
            Assert.That(operation.GetProperty("security")[0].TryGetProperty("bearer", out _), Is.True);
            Assert.That(operation.GetProperty("description").GetString(), Does.Contain($"`{scope}`"));
        }
    }

    [Test]
    public async Task Document_ShowsHeadersBoundsFormatsAndExamples()
    {
        var document = await GetDocumentAsync();
        var users = document.GetProperty("paths").GetProperty(UsersApi.Path);
        var user = document.GetProperty("paths").GetProperty(UsersApi.Path + "/{id}");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var response = schemas.GetProperty("UserResponse");
        var request = schemas.GetProperty("CreateUserRequest");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(users.GetProperty("post").GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("ETag", out _), Is.True);
            Assert.That(users.GetProperty("post").GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _), Is.True);
            Assert.That(users.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("Link", out _), Is.True);
            Assert.That(user.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), Is.True);
            Assert.That(user.GetProperty("put").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("If-Match"));
            Assert.That(users.GetProperty("get").GetProperty("responses").GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _), Is.True);

            var limit = users.GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
            Assert.That((limit.GetProperty("minimum").GetDecimal(), limit.GetProperty("maximum").GetDecimal(), limit.GetProperty("default").GetInt32()), Is.EqualTo((1m, 200m, 50)));

            Assert.That(response.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "id", "email", "name", "createdAt", "updatedAt" }));
            Assert.That(response.GetProperty("properties").GetProperty("id").GetProperty("format").GetString(), Is.EqualTo("uuid"));
            Assert.That(response.GetProperty("properties").GetProperty("email").GetProperty("format").GetString(), Is.EqualTo("email"));
            Assert.That(response.GetProperty("properties").GetProperty("createdAt").GetProperty("format").GetString(), Is.EqualTo("date-time"));
            Assert.That(response.GetProperty("properties").GetProperty("email").TryGetProperty("nullable", out _), Is.False, "never null");
            Assert.That(request.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "email", "name" }));
            Assert.That(request.GetProperty("properties").GetProperty("email").GetProperty("maxLength").GetInt32(), Is.EqualTo(254));
            Assert.That(request.GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32(), Is.EqualTo(200));

            var created = users.GetProperty("post").GetProperty("responses");
            Assert.That(created.GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("email").GetString(), Is.EqualTo("ann@example.com"));
            Assert.That(created.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("errors").TryGetProperty("email", out _), Is.True);
            Assert.That(created.GetProperty("409").GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("status").GetInt32(), Is.EqualTo(409));
            Assert.That(users.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), Is.True);
        }
    }

    [Test]
    public async Task RedoclyLint_RecommendedRules_ReportsNoErrors()
    {
        await WriteDocumentAsync();

        var (exitCode, output) = await NpmAsync("run", "lint");

        await TestContext.Out.WriteLineAsync(output);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Match("(?i)valid|no problems|0 errors"));
    }

    [Test]
    public async Task GeneratedTypeScriptClient_TypeChecksCodeThatCreatesAndFetchesAUser()
    {
        await WriteDocumentAsync();

        var (generateExit, generated) = await NpmAsync("run", "generate");
        Assert.That(generateExit, Is.Zero, generated);
        var (checkExit, checkOutput) = await NpmAsync("run", "typecheck");

        Assert.That(checkExit, Is.Zero, checkOutput);
    }

    private async Task<JsonElement> GetDocumentAsync()
    {
        using var response = await Client.GetAsync("/swagger/v1/swagger.json");
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task WriteDocumentAsync()
    {
        using var response = await Client.GetAsync("/swagger/v1/swagger.json");
        await File.WriteAllTextAsync(Path.Combine(FrontendDirectory, "openapi.json"), await response.Content.ReadAsStringAsync());
        if (!Directory.Exists(Path.Combine(FrontendDirectory, "node_modules")))
        {
            var (exitCode, output) = await NpmAsync("ci", "--no-audit", "--no-fund");
            Assert.That(exitCode, Is.Zero, output);
        }
    }

    private static async Task<(int ExitCode, string Output)> NpmAsync(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync("npm", arguments, FrontendDirectory);
        return (result.ExitCode, result.AllOutput);
    }
}
