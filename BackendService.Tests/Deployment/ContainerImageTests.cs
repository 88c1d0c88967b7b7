using System.Net;
using BackendService.Tests.Support;

namespace BackendService.Tests.Deployment;

/// <summary>
/// What can be checked of the container image without a Docker engine: the Dockerfile's own
/// build commands succeed (PublishedService runs exactly those), the published app starts and
/// answers liveness, and the runtime stage is the one the README promises.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly string[] Dockerfile = File.ReadAllLines(Path.Combine(TestDatabase.RepositoryRoot(), "Dockerfile"));

    [Test]
    public async Task TheDockerfilesPublishCommand_BuildsAnAppThatAnswersLiveness()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_image");

        // The image's environment: only PORT decides the port (ASPNETCORE_HTTP_PORTS cleared).
        // The private cluster trusts any password; this one must never be shown.
        await using var service = await PublishedService.StartAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = connectionString + ";Password=pw-in-metrics-secret",
            ["ASPNETCORE_HTTP_PORTS"] = string.Empty,
        });
        Assert.That(await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), Is.True, string.Join('\n', service.Lines));

        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        using var live = await client.GetAsync("/health/live");
        var metrics = await client.GetStringAsync("/metrics");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics, Does.Contain("kestrel_active_connections"), "Kestrel's connection metrics, on a real server");
            Assert.That(metrics, Does.Not.Contain("pw-in-metrics-secret"));
        }
    }

    [Test]
    public void Dockerfile_PublishesRelease_AndTheRuntimeStageIsTheAspNetImage_NonRoot_WithoutHealthcheck()
    {
        var commands = PublishedService.DockerfileBuildCommands("/out");
        var publish = commands.Single(c => c[0] == "publish");
        var runtimeStage = Dockerfile.SkipWhile(line => !line.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(commands.Select(c => c[0]), Is.EqualTo(new[] { "restore", "publish" }));
            Assert.That(string.Join(' ', publish), Does.Contain("-c Release").And.Contain("BackendService.Api/BackendService.Api.csproj"));
            Assert.That(runtimeStage, Is.Not.Empty, "the last stage runs on mcr.microsoft.com/dotnet/aspnet");
            Assert.That(runtimeStage.Count(line => line.StartsWith("FROM ", StringComparison.Ordinal)), Is.EqualTo(1), "the ASP.NET stage is the last");
            Assert.That(runtimeStage[0], Does.Match(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled-extra AS runtime$"), "chiseled (no shell or package manager), with ICU: the text rules refuse to run without it");
            Assert.That(runtimeStage.Skip(1), Has.None.StartsWith("RUN "), "a chiseled image has no shell to run anything in");
            Assert.That(runtimeStage, Has.One.EqualTo("USER $APP_UID"), "runs as the image's unprivileged user");
            Assert.That(runtimeStage, Has.Some.Contains("PORT=8080"));
            Assert.That(runtimeStage, Has.One.EqualTo("""ENTRYPOINT ["dotnet", "BackendService.Api.dll"]"""));
            Assert.That(Dockerfile, Has.None.StartsWith("HEALTHCHECK"), "Kubernetes probes instead");
            Assert.That(File.ReadAllLines(Path.Combine(TestDatabase.RepositoryRoot(), ".dockerignore")), Is.SupersetOf(new[] { "**/bin/", "**/obj/", ".local/", ".git/" }));
        }
    }
}
