using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BackendService.Tests.Support;

namespace BackendService.Tests.Template;

/// <summary>
/// The repository as a `dotnet new` template, used as a user would: installed into a throw-away
/// hive (the service template and the resource item template, from one install), instantiated as
/// Acme.Shop in an empty folder, an Order resource added with `dotnet new backendservice-resource`
/// and its migration with `dotnet ef migrations add`, then that new service's own test command
/// run on its own PostgreSQL (format check, build with warnings as errors, the Users and Orders
/// contracts, the OpenAPI document, fuzz and .http checks over every operation, a SIGTERM). And
/// the leanest service, every optional part left out (--benchmark, --ha, --pgbouncer,
/// --frontend-checks false): it names none of them, builds with warnings as errors and passes
/// its own tests. This file itself does not travel (template.json excludes the folder).
/// </summary>
[Category("Template")]
[SupportedOSPlatform("linux")] // file modes, bash and PostgreSQL as the postgres user, like the rest of the suite
public sealed class DotnetNewTemplateTests
{
    private const string NewName = "Acme.Shop";
    private const string LeanName = "Acme.Lean";

    // The options that leave a part out, and what names it (file contents and paths, any case).
    private static readonly string[] EveryOptionOff = ["--benchmark", "false", "--ha", "false", "--pgbouncer", "false", "--frontend-checks", "false"];
    // (frontend/ is the removed npm folder; the tests' Frontend/ folder stays.)
    private static readonly Regex RemovedPart = new("(?i:bench|cloudnativepg|pgbouncer|StreamingReplication|standby|redocly)|frontend/");

    // A template directive dotnet new should have consumed (C#, shell and YAML, Markdown and XML forms).
    private static readonly Regex TemplateDirective = new(@"^\s*(#if \(|#elseif|#else\b|#endif|//#|<!--#)", RegexOptions.Multiline);

    // The Users and Orders contracts, the checks over every documented operation, the migrations,
    // the manifests (every overlay rendered by kubectl), and the published service stopped by SIGTERM.
    private const string RepresentativeTests =
        "FullyQualifiedName~.Tests.Users.|FullyQualifiedName~.Tests.Orders.|FullyQualifiedName~OpenApiDocumentTests|FullyQualifiedName~ContractFuzzTests"
        + "|FullyQualifiedName~HttpFileTests|FullyQualifiedName~MigrationTests|FullyQualifiedName~KubernetesManifestTests"
        + "|FullyQualifiedName~PublishedServiceTests.Sigterm_LetsAnInFlightRequestFinish";

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
        foreach (var instance in new[] { Path.Combine(_work, NewName), Path.Combine(_work, LeanName) }.Where(i => File.Exists(Path.Combine(i, "scripts", "db.sh"))))
        {
            await ExternalProcess.RunAsync("bash", [Path.Combine(instance, "scripts", "db.sh"), "stop"], instance);
        }

        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task NewService_FromTheTemplate_WithAResourceAdded_IsRenamedThroughout_AndPassesItsOwnTests()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var (hive, instance, files) = await NewServiceAsync(NewName, [], timeout.Token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Does.Contain($"{NewName}.sln").And.Contain(Path.Combine($"{NewName}.Api", $"{NewName}.Api.csproj")));
            Assert.That(files.Where(file => file.Contains("BackendService", StringComparison.OrdinalIgnoreCase)), Is.Empty, "no file or folder keeps the old name");
            Assert.That(
                files.Where(file => File.ReadAllText(Path.Combine(instance, file))
                    .Replace("dotnet new backendservice-resource", string.Empty, StringComparison.Ordinal)
                    .Contains("backendservice", StringComparison.OrdinalIgnoreCase)),
                Is.Empty,
                "no file mentions the old name, in any case (but the resource item template's own name, in the README)");
            Assert.That(files.Where(file => File.ReadAllText(Path.Combine(instance, file)).Contains("acme-shop-resource", StringComparison.OrdinalIgnoreCase)), Is.Empty, "the item template's name is never renamed after the service");

            // What must not travel: build output, local clusters, test results, npm installs, benchmark results, git, the template itself.
            string[] leftBehind = ["bin", "obj", ".local", "TestResults", "node_modules", Path.Combine("bench", "results"), ".git", ".template.config", "Template"];
            Assert.That(files.Where(file => leftBehind.Any(folder => file.StartsWith(folder + "/", StringComparison.Ordinal) || file.Contains("/" + folder + "/", StringComparison.Ordinal))), Is.Empty);

            // Names where a dot is not allowed take the kebab or snake form.
            Assert.That(File.ReadAllText(Path.Combine(instance, "deploy", "base", "deployment.yaml")), Does.Contain("name: acme-shop\n").And.Contain("image: acme-shop:latest"));
            Assert.That(File.ReadAllText(Path.Combine(instance, "deploy", "sql", "roles.sql")), Does.Contain("acme_shop_app"));
            Assert.That(File.ReadAllText(Path.Combine(instance, $"{NewName}.Api", "Observability", "Telemetry.cs")), Does.Contain("\"acme-shop\""));
            Assert.That(File.ReadAllText(Path.Combine(instance, "README.md")), Does.Contain("dotnet new backendservice-resource -n Order --service Acme.Shop"), "a new service's README says how to add a resource");
            Assert.That(File.ReadAllText(Path.Combine(instance, "README.md")), Does.Not.Contain("Start your own service").And.Not.Contain("<!--#"), "the template's own section stays behind");
            Assert.That(File.GetUnixFileMode(Path.Combine(instance, "scripts", "test.sh")) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), "scripts stay executable");
            Assert.That(File.GetUnixFileMode(Path.Combine(instance, "bench", "run")) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), "the benchmark's too");

            // By default every optional part comes along, and no template directive is left behind.
            Assert.That(files, Does.Contain(Path.Combine("bench", "run"))
                .And.Contain(Path.Combine("frontend", "package.json"))
                .And.Contain(Path.Combine("deploy", "overlays", "pgbouncer", "kustomization.yaml"))
                .And.Contain(Path.Combine("deploy", "overlays", "cloudnativepg", "kustomization.yaml"))
                .And.Contain(Path.Combine($"{NewName}.Tests", "Operations", "FailoverTests.cs"))
                .And.Contain(Path.Combine($"{NewName}.Infrastructure", "Persistence", "StandbyReads.cs")));
            Assert.That(files.Where(file => TemplateDirective.IsMatch(File.ReadAllText(Path.Combine(instance, file)))), Is.Empty, "no template directive is left in any file");
        }

        // A resource, as its README says: the item template, then its table.
        var before = files.ToHashSet();
        var resource = await DotnetNewAsync(["backendservice-resource", "-n", "Order", "--service", NewName, "--debug:custom-hive", hive], timeout.Token, instance);
        Assert.That(resource.ExitCode, Is.Zero, resource.AllOutput);
        var added = Directory.EnumerateFiles(instance, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(instance, file)).Where(file => !before.Contains(file)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(added, Does.Contain(Path.Combine($"{NewName}.Domain", "Orders", "Order.cs"))
                .And.Contain(Path.Combine($"{NewName}.Application", "Orders", "OrderService.cs"))
                .And.Contain(Path.Combine($"{NewName}.Infrastructure", "Persistence", "OrderRepository.cs"))
                .And.Contain(Path.Combine($"{NewName}.Api", "Controllers", "OrdersController.cs"))
                .And.Contain(Path.Combine($"{NewName}.Api", "Orders.http"))
                .And.Contain(Path.Combine("docs", "api-contract.orders.md"))
                .And.Contain(Path.Combine($"{NewName}.Tests", "Orders", "CreateOrderTests.cs")));
            Assert.That(added.Where(file => File.ReadAllText(Path.Combine(instance, file)).Contains("gadget", StringComparison.OrdinalIgnoreCase) || file.Contains("adget", StringComparison.Ordinal)), Is.Empty, "no file keeps the template's placeholder");
            Assert.That(File.ReadAllText(Path.Combine(instance, $"{NewName}.Api", "Controllers", "OrderScopes.cs")), Does.Contain("\"orders:read\"").And.Contain("\"orders:write\""));
        }

        Assert.That((await ExternalProcess.RunAsync("dotnet", ["restore", "-v", "q"], instance, cancellationToken: timeout.Token)).ExitCode, Is.Zero);
        Assert.That((await ExternalProcess.RunAsync("dotnet", ["tool", "restore"], instance, cancellationToken: timeout.Token)).ExitCode, Is.Zero);
        var migration = await ExternalProcess.RunAsync(
            "dotnet",
            ["ef", "migrations", "add", "AddOrders", "--project", $"{NewName}.Infrastructure", "--startup-project", $"{NewName}.Api", "--output-dir", "Persistence/Migrations"],
            instance,
            cancellationToken: timeout.Token);
        Assert.That(migration.ExitCode, Is.Zero, migration.AllOutput);

        // The new service's own README test command, narrowed to a representative part.
        var (passed, classes) = await RunOwnTestsAsync(instance, NewName, files, timeout.Token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed, Has.Count.GreaterThanOrEqualTo(50), "the Users contract alone has more tests than that");
            Assert.That(classes, Has.Some.StartsWith($"{NewName}.Tests.Users."));
            Assert.That(classes, Does.Contain($"{NewName}.Tests.Orders.CreateOrderTests").And.Contain($"{NewName}.Tests.Orders.ListOrdersTests").And.Contain($"{NewName}.Tests.Orders.UpdateOrderTests"));
            Assert.That(classes, Does.Contain($"{NewName}.Tests.Fuzz.ContractFuzzTests"));
            Assert.That(classes, Does.Contain($"{NewName}.Tests.Frontend.OpenApiDocumentTests"));
            Assert.That(passed, Does.Contain("Sigterm_LetsAnInFlightRequestFinish"), "a published-process test");
            Assert.That(passed.Count(name => name.StartsWith("Overlay_RendersWithKubectl", StringComparison.Ordinal)), Is.EqualTo(3), "production, pgbouncer and cloudnativepg");
            Assert.That(File.Exists(Path.Combine(instance, $"{NewName}.Api", "bin", "Release", "net10.0", $"{NewName}.Api.dll")), Is.True, "the assembly carries the new name");
        }
    }

    [Test]
    public async Task LeanestService_EveryOptionOff_NamesNoneOfTheRemovedParts_AndPassesItsOwnTests()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var (hive, instance, files) = await NewServiceAsync(LeanName, EveryOptionOff, timeout.Token);
        var help = await DotnetNewAsync(["backendservice", "--help", "--debug:custom-hive", hive], timeout.Token);
        Assert.That(help.Output, Does.Contain("--benchmark").And.Contain("--ha").And.Contain("--pgbouncer").And.Contain("--frontend-checks"), "the options are documented in --help");
        var naming = files
            .SelectMany(file => File.ReadAllLines(Path.Combine(instance, file)).Select((line, index) => (file, line, number: index + 1)))
            .Where(hit => RemovedPart.IsMatch(hit.line))
            .Select(hit => $"{hit.file}:{hit.number}: {hit.line.Trim()}")
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Where(file => RemovedPart.IsMatch(file)), Is.Empty, "no file or folder of a removed part");
            Assert.That(naming, Is.Empty, "no file names a removed part");
            Assert.That(files.Where(file => TemplateDirective.IsMatch(File.ReadAllText(Path.Combine(instance, file)))), Is.Empty, "no template directive is left in any file");
            Assert.That(files, Does.Contain(Path.Combine(".github", "workflows", "ci.yml")).And.Contain(Path.Combine(".github", "dependabot.yml")), "CI and dependency updates are not optional");
            Assert.That(files, Does.Contain(Path.Combine($"{LeanName}.Tests", "Frontend", "OpenApiDocumentTests.cs")).And.Contain(Path.Combine($"{LeanName}.Tests", "Frontend", "SwaggerUiBrowserTests.cs")), "the document's own checks and Swagger UI's stay");
            Assert.That(Directory.GetDirectories(Path.Combine(instance, "deploy", "overlays")).Select(Path.GetFileName), Is.EqualTo(new[] { "production" }));
        }

        // Format, build with warnings as errors (a dangling reference fails here), then a representative part of its suite.
        var (passed, classes) = await RunOwnTestsAsync(instance, LeanName, files, timeout.Token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed, Has.Count.GreaterThanOrEqualTo(50));
            Assert.That(classes, Has.Some.StartsWith($"{LeanName}.Tests.Users."));
            Assert.That(classes, Does.Contain($"{LeanName}.Tests.Frontend.OpenApiDocumentTests").And.Contain($"{LeanName}.Tests.Deployment.KubernetesManifestTests"));
            Assert.That(passed.Count(name => name.StartsWith("Overlay_RendersWithKubectl", StringComparison.Ordinal)), Is.EqualTo(1), "production alone");
            Assert.That(passed, Does.Contain("Sigterm_LetsAnInFlightRequestFinish"));
        }
    }

    /// <summary>The template installed into a throw-away hive and a service made from it with these options; its files, relative to it.</summary>
    private async Task<(string Hive, string Instance, List<string> Files)> NewServiceAsync(string name, string[] options, CancellationToken cancellationToken)
    {
        var hive = Path.Combine(_work, "hive");
        var instance = Path.Combine(_work, name);
        var install = await DotnetNewAsync(["install", TestDatabase.RepositoryRoot(), "--debug:custom-hive", hive], cancellationToken);
        Assert.That(install.ExitCode, Is.Zero, install.AllOutput);
        var create = await DotnetNewAsync(["backendservice", "-n", name, "-o", instance, .. options, "--debug:custom-hive", hive], cancellationToken);
        Assert.That(create.ExitCode, Is.Zero, create.AllOutput);

        var files = Directory.EnumerateFiles(instance, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(instance, file)).ToList();
        return (hive, instance, files);
    }

    /// <summary>
    /// The new service's own README test command, narrowed to a representative part; prints the
    /// service's size (files, lines) and what ran, and returns the tests that passed and their classes.
    /// </summary>
    private static async Task<(List<string> Passed, List<string> Classes)> RunOwnTestsAsync(string instance, string name, List<string> files, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var test = await ExternalProcess.RunAsync("bash", [Path.Combine(instance, "scripts", "test.sh"), "--filter", RepresentativeTests], instance, cancellationToken: cancellationToken);
        var lines = files.Sum(file => File.ReadAllLines(Path.Combine(instance, file)).Length);
        await TestContext.Out.WriteLineAsync($"{name}: {files.Count} files, {lines} lines; its representative tests took {started.Elapsed.TotalSeconds:0} s:");
        await TestContext.Out.WriteLineAsync(string.Join('\n', test.Output.Split('\n').TakeLast(5)));
        Assert.That(test.ExitCode, Is.Zero, string.Join('\n', test.AllOutput.Split('\n').TakeLast(60)));

        var results = XDocument.Load(Path.Combine(instance, "TestResults", "results.trx"));
        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var passed = results.Descendants(trx + "UnitTestResult")
            .Where(result => (string?)result.Attribute("outcome") == "Passed")
            .Select(result => (string)result.Attribute("testName")!)
            .ToList();
        var classes = results.Descendants(trx + "TestMethod").Select(method => (string)method.Attribute("className")!).Distinct().ToList();
        return (passed, classes);
    }

    private static Task<ProcessResult> DotnetNewAsync(string[] arguments, CancellationToken cancellationToken, string? workingDirectory = null) =>
        ExternalProcess.RunAsync("dotnet", ["new", .. arguments], workingDirectory, cancellationToken: cancellationToken);
}
