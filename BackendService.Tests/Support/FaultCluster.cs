using System.Globalization;

namespace BackendService.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of the fault tests' own (not the one the other tests share), which
/// they stop, restart, freeze and thaw. Driven through scripts/db.sh, like every cluster here.
/// </summary>
internal sealed class FaultCluster
{
    private readonly string _dataDir = Path.Combine(TestDatabase.RepositoryRoot(), ".local", "pg-faults");
    private int _port;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task StartAsync()
    {
        var url = await DbScriptAsync("start");
        var builder = Infrastructure.Persistence.DatabaseConnectionString.Parse(url);
        _port = builder.Port;
        ConnectionString = builder.ConnectionString;
    }

    public Task StopAsync() => DbScriptAsync("stop");

    /// <summary>Stops every PostgreSQL process of the cluster in its tracks: connections stay open, nothing answers.</summary>
    public Task FreezeAsync() => SignalAllAsync("STOP");

    public Task ThawAsync() => SignalAllAsync("CONT");

    private async Task SignalAllAsync(string signal)
    {
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(_dataDir, "postmaster.pid")))[0].Trim();
        // pgrep exits 1 when there are no children; an empty list is then the right answer.
        var children = (await ExternalProcess.RunAsync("pgrep", ["-P", postmaster])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Children first on STOP (so the postmaster cannot notice), postmaster first on CONT.
        string[] order = signal == "STOP" ? [.. children, postmaster] : [postmaster, .. children];
        await RunAsync("kill", [$"-{signal}", .. order]);
    }

    private async Task<string> DbScriptAsync(string command)
    {
        var environment = new Dictionary<string, string>
        {
            ["LOCAL_PG_DIR"] = _dataDir,
            ["LOCAL_PG_DB"] = "backendservice_faults",
        };
        if (_port != 0)
        {
            // Come back on the same port, as a restarted database server would.
            environment["LOCAL_PG_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        }

        return (await RunAsync("bash", [Path.Combine(TestDatabase.RepositoryRoot(), "scripts", "db.sh"), command], environment)).Trim();
    }

    private static async Task<string> RunAsync(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var result = await ExternalProcess.RunAsync(file, arguments, environment: environment);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }
}
