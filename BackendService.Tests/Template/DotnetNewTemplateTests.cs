using System.Runtime.Versioning;
using System.Xml.Linq;
using BackendService.Tests.Support;

namespace BackendService.Tests.Template;

/// <summary>
/// The repository as a `dotnet new` template, used as a user would: installed into a throw-away
/// hive, instantiated as Acme.Orders in an empty folder, and that new service's own test command
/// run on its own PostgreSQL (format check, build with warnings as errors, a representative part
/// of its suite). This file itself does not travel (template.json excludes the folder).
/// </summary>
[Category("Template")]
[SupportedOSPlatform("linux")] // file modes, bash and PostgreSQL as the postgres user, like the rest of the suite
public sealed class DotnetNewTemplateTests
{
    private const string NewName = "Acme.Orders";

    // The Users contract, the OpenAPI document, and the published service stopped by SIGTERM.
    private const string RepresentativeTests =
        "FullyQualifiedName~.Tests.Users.|FullyQualifiedName~OpenApiDocumentTests|FullyQualifiedName~PublishedServiceTests.Sigterm_LetsAnInFlightRequestFinish";

    private string _work = string.Empty;

    [SetUp]
    public void CreateWorkFolder()
    {
        // PostgreSQL (run as the postgres user when we are root) must be able to walk into the new service's .local/.
        _work = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    [TearDown]
    public async Task RemoveWorkFolder()
    {
        var instance = Path.Combine(_work, NewName);
        if (File.Exists(Path.Combine(instance, "scripts", "db.sh")))
        {
            await ExternalProcess.RunAsync("bash", [Path.Combine(instance, "scripts", "db.sh"), "stop"], instance);
        }

        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task NewService_FromTheTemplate_IsRenamedThroughout_AndPassesItsOwnTests()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var hive = Path.Combine(_work, "hive");
        var instance = Path.Combine(_work, NewName);

        var install = await DotnetNewAsync(["install", TestDatabase.RepositoryRoot(), "--debug:custom-hive", hive], timeout.Token);
        Assert.That(install.ExitCode, Is.Zero, install.AllOutput);
        var create = await DotnetNewAsync(["backendservice", "-n", NewName, "-o", instance, "--debug:custom-hive", hive], timeout.Token);
        Assert.That(create.ExitCode, Is.Zero, create.AllOutput);

        var files = Directory.EnumerateFiles(instance, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(instance, file))
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Does.Contain($"{NewName}.sln").And.Contain(Path.Combine($"{NewName}.Api", $"{NewName}.Api.csproj")));
            Assert.That(files.Where(file => file.Contains("BackendService", StringComparison.OrdinalIgnoreCase)), Is.Empty, "no file or folder keeps the old name");
            Assert.That(
                files.Where(file => File.ReadAllText(Path.Combine(instance, file)).Contains("backendservice", StringComparison.OrdinalIgnoreCase)),
                Is.Empty,
                "no file mentions the old name, in any case");

            // What must not travel: build output, local clusters, test results, npm installs, benchmark results, git, the template itself.
            string[] leftBehind = ["bin", "obj", ".local", "TestResults", "node_modules", Path.Combine("bench", "results"), ".git", ".template.config", "Template"];
            Assert.That(files.Where(file => leftBehind.Any(folder => file.StartsWith(folder + "/", StringComparison.Ordinal) || file.Contains("/" + folder + "/", StringComparison.Ordinal))), Is.Empty);

            // Names where a dot is not allowed take the kebab or snake form.
            Assert.That(File.ReadAllText(Path.Combine(instance, "deploy", "base", "deployment.yaml")), Does.Contain("name: acme-orders\n").And.Contain("image: acme-orders:latest"));
            Assert.That(File.ReadAllText(Path.Combine(instance, "deploy", "sql", "roles.sql")), Does.Contain("acme_orders_app"));
            Assert.That(File.ReadAllText(Path.Combine(instance, $"{NewName}.Api", "Observability", "Telemetry.cs")), Does.Contain("\"acme-orders\""));
            Assert.That(File.ReadAllText(Path.Combine(instance, "README.md")), Does.Not.Contain("Start your own service").And.Not.Contain("<!--#"), "the template's own section stays behind");
            Assert.That(File.GetUnixFileMode(Path.Combine(instance, "scripts", "test.sh")) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), "scripts stay executable");
        }

        // The new service's own README test command, narrowed to a representative part.
        var test = await ExternalProcess.RunAsync("bash", [Path.Combine(instance, "scripts", "test.sh"), "--filter", RepresentativeTests], instance, cancellationToken: timeout.Token);
        await TestContext.Out.WriteLineAsync(string.Join('\n', test.Output.Split('\n').TakeLast(5)));
        Assert.That(test.ExitCode, Is.Zero, string.Join('\n', test.AllOutput.Split('\n').TakeLast(60)));

        var results = XDocument.Load(Path.Combine(instance, "TestResults", "results.trx"));
        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var passed = results.Descendants(trx + "UnitTestResult")
            .Where(result => (string?)result.Attribute("outcome") == "Passed")
            .Select(result => (string)result.Attribute("testName")!)
            .ToList();
        var classes = results.Descendants(trx + "TestMethod").Select(method => (string)method.Attribute("className")!).Distinct().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed, Has.Count.GreaterThanOrEqualTo(50), "the Users contract alone has more tests than that");
            Assert.That(classes, Has.Some.StartsWith($"{NewName}.Tests.Users."));
            Assert.That(classes, Does.Contain($"{NewName}.Tests.Frontend.OpenApiDocumentTests"));
            Assert.That(passed, Does.Contain("Sigterm_LetsAnInFlightRequestFinish"), "a published-process test");
            Assert.That(File.Exists(Path.Combine(instance, $"{NewName}.Api", "bin", "Release", "net10.0", $"{NewName}.Api.dll")), Is.True, "the assembly carries the new name");
        }
    }

    private static Task<ProcessResult> DotnetNewAsync(string[] arguments, CancellationToken cancellationToken) =>
        ExternalProcess.RunAsync("dotnet", ["new", .. arguments], cancellationToken: cancellationToken);
}
