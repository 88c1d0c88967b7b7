using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BackendService.Api.Security;
using BackendService.Tests.Support;

namespace BackendService.Tests.Frontend;

/// <summary>
/// The OpenAPI document the running service serves, checked the way frontend teams use it, for
/// every operation it holds (a new resource is checked as soon as it is served): a unique id,
/// the statuses, scopes, headers and examples each operation owes its callers.
/// </summary>
[Category("Frontend")]
public sealed class OpenApiDocumentTests : ApiTest
{
    [Test]
    public async Task EveryOperation_HasAUniqueIdASummaryAndTheStandardStatuses_AllProblemsWithExamples()
    {
        var operations = await OperationsAsync();

        Assert.That(operations, Is.Not.Empty);
        Assert.That(operations.Select(o => o.Id), Is.Unique);
        using (Assert.EnterMultipleScope())
        {
            foreach (var (path, method, id, operation) in operations)
            {
                Assert.That(id, Does.Match("^[a-z][A-Za-z]+$"), $"{method} {path} has a stable camelCase operationId");
                Assert.That(operation.GetProperty("summary").GetString(), Is.Not.Empty, id);
                var responses = operation.GetProperty("responses");
                var declared = responses.EnumerateObject().Select(r => r.Name).ToList();
                Assert.That(declared, Is.SupersetOf(new[] { "401", "403", "429", "500", "503", "504" }), id);
                if (operation.TryGetProperty("requestBody", out _))
                {
                    Assert.That(declared, Is.SupersetOf(new[] { "400", "413", "415" }), $"{id} reads a body");
                }

                if (path.Contains('{', StringComparison.Ordinal))
                {
                    Assert.That(declared, Is.SupersetOf(new[] { "400", "404" }), $"{id} names a resource");
                }

                foreach (var status in declared.Where(s => s.StartsWith('4') || s.StartsWith('5')))
                {
                    var problem = responses.GetProperty(status).GetProperty("content").GetProperty("application/problem+json");
                    var example = problem.GetProperty("example");
                    Assert.That(example.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture), Is.EqualTo(status), $"{id} {status}");
                    Assert.That(example.GetProperty("instance").GetString(), Does.Match("^" + Regex.Replace(path, @"\{[^}]+\}", "[0-9a-f-]{36}") + "$"), $"{id} {status}: instance is the operation's own path");
                    Assert.That(responses.GetProperty(status).GetProperty("description").GetString(), Is.Not.Empty.And.Not.EqualTo(ReasonPhrase(status)), $"{id} {status} says more than the reason phrase");
                }
            }
        }
    }

    [Test]
    public async Task EveryOperation_NeedsTheBearerScheme_AndNamesOneOfTheDeclaredScopes()
    {
        var document = await GetDocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.That((scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()), Is.EqualTo(("http", "bearer")));

        using (Assert.EnterMultipleScope())
        {
            foreach (var (_, _, id, operation) in await OperationsAsync())
            {
                Assert.That(operation.GetProperty("security")[0].TryGetProperty("bearer", out _), Is.True, id);
                Assert.That(Scopes.Descriptions.Keys.Where(scope => operation.GetProperty("description").GetString()!.Contains($"`{scope}`", StringComparison.Ordinal)), Has.Exactly(1).Items, id);
            }
        }
    }

    [Test]
    public async Task EveryOperation_DocumentsTheHeadersOfWhatItIs_AndEveryBodyHasAnExample()
    {
        var schemas = (await GetDocumentAsync()).GetProperty("components").GetProperty("schemas");
        using (Assert.EnterMultipleScope())
        {
            foreach (var (_, _, id, operation) in await OperationsAsync())
            {
                var responses = operation.GetProperty("responses");
                var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!) : [];
                Assert.That(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _), Is.True, id);
                if (responses.TryGetProperty("201", out var created))
                {
                    Assert.That(created.GetProperty("headers").EnumerateObject().Select(h => h.Name), Is.SupersetOf(new[] { "Location", "ETag" }), id);
                }

                if (parameters.TryGetValue("limit", out var limit))
                {
                    var bounds = limit.GetProperty("schema");
                    Assert.That((bounds.GetProperty("minimum").GetDecimal(), bounds.GetProperty("maximum").GetDecimal(), bounds.GetProperty("default").GetInt32()), Is.EqualTo((1m, 200m, 50)), id);
                    Assert.That(responses.GetProperty("200").GetProperty("headers").TryGetProperty("Link", out _), Is.True, id);
                }

                if (parameters.ContainsKey("If-Match"))
                {
                    Assert.That(responses.TryGetProperty("412", out _), Is.True, id);
                }

                if (parameters.ContainsKey("If-None-Match"))
                {
                    Assert.That(responses.GetProperty("304").GetProperty("headers").TryGetProperty("ETag", out _), Is.True, id);
                    Assert.That(responses.GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), Is.True, id);
                }

                if (parameters.ContainsKey("Idempotency-Key"))
                {
                    Assert.That(responses.TryGetProperty("422", out _), Is.True, id);
                }

                foreach (var response in responses.EnumerateObject().Where(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _)))
                {
                    Assert.That(response.Value.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), Is.True, $"{id} {response.Name} has an example");
                }

                if (operation.TryGetProperty("requestBody", out var body))
                {
                    var json = body.GetProperty("content").GetProperty("application/json");
                    Assert.That(json.TryGetProperty("example", out _), Is.True, $"{id}'s body has an example");
                    var schema = schemas.GetProperty(json.GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
                    Assert.That(schema.GetProperty("additionalProperties").GetBoolean(), Is.False, $"{id}'s body refuses unknown properties");
                }
            }

            foreach (var schema in schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("required", out _)))
            {
                var properties = schema.Value.GetProperty("properties").EnumerateObject().Select(p => p.Name);
                Assert.That(schema.Value.GetProperty("required").EnumerateArray().Select(r => r.GetString()), Is.SubsetOf(properties), schema.Name);
            }
        }
    }

    private async Task<List<(string Path, string Method, string Id, JsonElement Operation)>> OperationsAsync()
    {
        var document = await GetDocumentAsync();
        return document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(o => (path.Name, o.Name, o.Value.GetProperty("operationId").GetString()!, o.Value)))
            .ToList();
    }

    private static string ReasonPhrase(string status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(int.Parse(status, CultureInfo.InvariantCulture));

    private async Task<JsonElement> GetDocumentAsync()
    {
        using var response = await Client.GetAsync("/swagger/v1/swagger.json");
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
