using System.Text.Json;
using System.Text.RegularExpressions;
using BackendService.Tests.Support;

namespace BackendService.Tests.Conventions;

/// <summary>The .http files of the Api project stay true: every request they hold is an operation the service documents, and every documented operation is in it (any resource, any placeholder).</summary>
public sealed partial class HttpFileTests : ApiTest
{
    [Test]
    public async Task EveryRequestInTheHttpFile_IsADocumentedOperation_AndEachOperationIsTried()
    {
        // BackendService.Api.http, and one file per resource added later (Orders.http, say).
        var file = Directory.GetFiles(Path.Combine(TestDatabase.RepositoryRoot(), "BackendService.Api"), "*.http")
            .SelectMany(File.ReadAllLines)
            .ToList();
        var requests = file.Select(line => RequestLine().Match(line)).Where(m => m.Success)
            .Select(m => (Method: m.Groups["method"].Value.ToLowerInvariant(), Path: Variable().Replace(m.Groups["path"].Value, "{}")))
            .Distinct()
            .ToList();
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Method: operation.Name, Path: Placeholder().Replace(path.Name, "{}"))))
            .ToList();

        Assert.That(requests, Has.Count.GreaterThanOrEqualTo(6));
        Assert.That(requests.Where(r => !r.Path.StartsWith("/health", StringComparison.Ordinal)), Is.SubsetOf(documented), "every API request in the file");
        Assert.That(documented, Is.SubsetOf(requests), "every operation of the API is in the file");
        Assert.That(file, Has.Some.StartsWith("Idempotency-Key:"));
        Assert.That(file, Has.Some.StartsWith("If-Match:").And.Some.StartsWith("If-None-Match:"));
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE) \{\{baseUrl\}\}(?<path>[^?\s]+)")]
    private static partial Regex RequestLine();

    // Any variable in the file ({{userId}}) stands for any placeholder in the document ({id}).
    [GeneratedRegex(@"\{\{[^}]+\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
