using System.Text.RegularExpressions;
using BackendService.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BackendService.Tests.Conventions;

/// <summary>
/// The repository's automation, which a service made from the template inherits: the GitHub
/// Actions workflows are valid against the workflow schema (npm's @action-validator/cli, in
/// scripts/workflow-checks), the CI workflow runs exactly scripts/test.sh, every action is pinned
/// to a version, and Dependabot (whose file the validator does not read) covers every package
/// ecosystem and folder of the repository.
/// </summary>
public sealed partial class RepositoryAutomationTests
{
    private static readonly string Root = TestDatabase.RepositoryRoot();

    private static IEnumerable<string> Workflows => Directory.EnumerateFiles(Path.Combine(Root, ".github", "workflows"), "*.yml");

    [Test]
    public async Task EveryWorkflow_IsValidAgainstTheWorkflowSchema()
    {
        var validator = Path.Combine(await InstalledAsync(), "node_modules", ".bin", "action-validator");
        var workflows = Workflows.ToList();
        Assert.That(workflows.Select(Path.GetFileName), Is.SupersetOf(new[] { "ci.yml", "codeql.yml", "container.yml" }));

        using (Assert.EnterMultipleScope())
        {
            foreach (var workflow in workflows)
            {
                var result = await ExternalProcess.RunAsync(validator, [workflow]);
                Assert.That(result.ExitCode, Is.Zero, $"{Path.GetFileName(workflow)}: {result.AllOutput}");
            }
        }
    }

    [Test]
    public void TheCiWorkflow_RunsExactlyTheTestScript_OnPushesAndPullRequests_AndKeepsItsResults()
    {
        var ci = Load(Path.Combine(Root, ".github", "workflows", "ci.yml"));
        var steps = ((YamlSequenceNode)ci["jobs"]["test"]["steps"]).Cast<YamlMappingNode>().ToList();
        var runs = steps.Where(s => s.Children.ContainsKey("run")).Select(s => ((YamlScalarNode)s["run"]).Value!.Trim()).ToList();
        var uses = steps.Where(s => s.Children.ContainsKey("uses")).ToLookup(s => ((YamlScalarNode)s["uses"]).Value!.Split('@')[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((YamlMappingNode)ci["on"]).Children.Keys.Select(k => k.ToString()), Is.SupersetOf(new[] { "push", "pull_request" }));
            Assert.That(ci["concurrency"]["cancel-in-progress"].ToString(), Is.EqualTo("true"), "a newer push cancels the run it supersedes");
            Assert.That(runs, Has.One.EqualTo("bash scripts/test.sh"), "the README's test command, as .ci/run runs it");
            Assert.That(uses["actions/setup-dotnet"].Single()["with"]["global-json-file"].ToString(), Is.EqualTo("global.json"));
            Assert.That(uses["actions/upload-artifact"].Single()["with"]["path"].ToString(), Does.Contain("TestResults/screenshots/").And.Contain("TestResults/*.trx"));
            Assert.That(uses["actions/upload-artifact"].Single()["if"].ToString(), Is.EqualTo("always()"), "results are kept when the tests fail too");
            Assert.That(uses["actions/cache"].Select(cache => cache["with"]["path"].ToString()), Is.EquivalentTo(new[] { "~/.nuget/packages", "~/.npm" }), "NuGet and npm caches");
        }
    }

    [Test]
    public void EveryAction_IsPinnedToAnExactVersion()
    {
        var references = Workflows.SelectMany(File.ReadLines)
            .Select(line => UsesLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["action"].Value)
            .ToList();

        Assert.That(references, Is.Not.Empty);
        Assert.That(references, Has.All.Matches<string>(r => PinnedReference().IsMatch(r!)), "owner/action@vMAJOR.MINOR.PATCH or a commit SHA, never a branch or a moving major tag");
    }

    [Test]
    public void Dependabot_CoversEveryEcosystemAndFolder_WithASchedule()
    {
        var dependabot = Load(Path.Combine(Root, ".github", "dependabot.yml"));
        var updates = ((YamlSequenceNode)dependabot["updates"]).Cast<YamlMappingNode>().ToList();
        var npmFolders = Directory.EnumerateFiles(Root, "package.json", SearchOption.AllDirectories)
            .Where(path => !path.Contains("node_modules", StringComparison.Ordinal) && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}.local{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => "/" + Path.GetRelativePath(Root, Path.GetDirectoryName(path)!).Replace('\\', '/'))
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dependabot["version"].ToString(), Is.EqualTo("2"));
            foreach (var update in updates)
            {
                Assert.That(update.Children.ContainsKey("package-ecosystem") && update.Children.ContainsKey("directory"), Is.True, $"ecosystem and directory: {update}");
                Assert.That(((YamlMappingNode)update["schedule"]).Children.ContainsKey("interval"), Is.True, $"a schedule: {update}");
                Assert.That(Directory.Exists(Path.Combine(Root, update["directory"].ToString().TrimStart('/'))), Is.True, $"{update["directory"]} exists");
            }

            var covered = updates.Select(u => (u["package-ecosystem"].ToString(), u["directory"].ToString())).ToList();
            Assert.That(covered, Does.Contain(("nuget", "/")).And.Contain(("docker", "/")).And.Contain(("github-actions", "/")));
            Assert.That(npmFolders, Is.Not.Empty);
            Assert.That(npmFolders.Select(folder => ("npm", folder)), Is.SubsetOf(covered), "every npm folder of the repository");
        }
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static Task<string> InstalledAsync() =>
        ExternalProcess.NpmFolderAsync(Path.Combine("scripts", "workflow-checks"), Path.Combine("node_modules", ".bin", "action-validator"));

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<action>\S+)")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^[\w.-]+/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")]
    private static partial Regex PinnedReference();
}
