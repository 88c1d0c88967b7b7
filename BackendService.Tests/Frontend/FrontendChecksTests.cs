using BackendService.Tests.Support;

namespace BackendService.Tests.Frontend;

/// <summary>
/// What a frontend team does with the served OpenAPI document (frontend/, pinned npm tools):
/// an established linter (Redocly CLI, recommended rules) finds no error in it, and a
/// TypeScript client generated from it (openapi-typescript) type-checks code that creates and
/// fetches a user (frontend/usage.ts).
/// </summary>
[Category("Frontend")]
public sealed class FrontendChecksTests : ApiTest
{
    [Test]
    public async Task RedoclyLint_RecommendedRules_ReportsNoErrors()
    {
        var frontend = await FrontendWithTheServedDocumentAsync();

        var lint = await ExternalProcess.RunAsync("npm", ["run", "lint"], frontend);

        await TestContext.Out.WriteLineAsync(lint.AllOutput);
        Assert.That(lint.ExitCode, Is.Zero, lint.AllOutput);
        Assert.That(lint.AllOutput, Does.Match("(?i)valid|no problems|0 errors"));
    }

    [Test]
    public async Task GeneratedTypeScriptClient_TypeChecksCodeThatCreatesAndFetchesAUser()
    {
        var frontend = await FrontendWithTheServedDocumentAsync();

        var generate = await ExternalProcess.RunAsync("npm", ["run", "generate"], frontend);
        Assert.That(generate.ExitCode, Is.Zero, generate.AllOutput);
        var typecheck = await ExternalProcess.RunAsync("npm", ["run", "typecheck"], frontend);

        Assert.That(typecheck.ExitCode, Is.Zero, typecheck.AllOutput);
    }

    /// <summary>frontend/ with its tools installed and the document this service serves in frontend/openapi.json.</summary>
    private async Task<string> FrontendWithTheServedDocumentAsync()
    {
        var frontend = await ExternalProcess.NpmFolderAsync("frontend", Path.Combine("node_modules", ".bin", "redocly"));
        using var response = await Client.GetAsync("/swagger/v1/swagger.json");
        Assert.That(response.IsSuccessStatusCode, Is.True);
        await File.WriteAllTextAsync(Path.Combine(frontend, "openapi.json"), await response.Content.ReadAsStringAsync());
        return frontend;
    }
}
