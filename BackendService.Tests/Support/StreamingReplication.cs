using System.Diagnostics;
using System.Globalization;

namespace BackendService.Tests.Support;

/// <summary>
/// A primary (scripts/db.sh) and a streaming standby made from it with pg_basebackup -R, in
/// folders of their own under .local, owned by the postgres user. Removed again on dispose.
/// </summary>
internal sealed class StreamingReplication : IAsyncDisposable
{
    private readonly string _primaryDirectory;
    private readonly string _standbyDirectory;

    private StreamingReplication(string name)
    {
        _primaryDirectory = Path.Combine(TestDatabase.RepositoryRoot(), ".local", $"pg-{name}-primary");
        _standbyDirectory = Path.Combine(TestDatabase.RepositoryRoot(), ".local", $"pg-{name}-standby");
    }

    public int PrimaryPort { get; private set; }

    public int StandbyPort { get; private set; }

    /// <summary>Both hosts, in Npgsql's form; writes go to the one that accepts them, roles checked again every second.</summary>
    public string ServiceConnectionString(string database) =>
        $"Host=127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort};Username=postgres;Database={database};SSL Mode=Disable;Target Session Attributes=read-write;Host Recheck Seconds=1";

    public static string Direct(int port, string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};SSL Mode=Disable;Pooling=false";

    /// <summary>Starts both; with <paramref name="synchronous"/>, a commit returns only once the standby has it.</summary>
    public static async Task<StreamingReplication> StartAsync(string name, string database, bool synchronous)
    {
        var replication = new StreamingReplication(name);
        await replication.RemoveAsync();
        replication.PrimaryPort = ExternalProcess.FreeLoopbackPort();
        await RunAsync("bash", [Path.Combine(TestDatabase.RepositoryRoot(), "scripts", "db.sh"), "start"], new Dictionary<string, string>
        {
            ["LOCAL_PG_DIR"] = replication._primaryDirectory,
            ["LOCAL_PG_DB"] = database,
            ["LOCAL_PG_PORT"] = replication.PrimaryPort.ToString(CultureInfo.InvariantCulture),
        });

        replication.StandbyPort = ExternalProcess.FreeLoopbackPort();
        var standby = replication._standbyDirectory;
        Directory.CreateDirectory(standby);
        await RunAsync("chown", ["postgres:postgres", standby]);
        await AsPostgresAsync("chmod", ["700", standby]);
        await AsPostgresAsync(PgBin("pg_basebackup"), ["-D", standby, "-R", "-X", "stream", "-h", "127.0.0.1", "-p", replication.PrimaryPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres"]);

        // A hot standby needs at least the primary's max_connections (db.sh starts it with 200).
        await AsPostgresAsync(PgBin("pg_ctl"), ["-D", standby, "-l", Path.Combine(standby, "server.log"), "-w", "-t", "60", "-o", $"-h 127.0.0.1 -p {replication.StandbyPort} -k {standby} -c max_connections=200", "start"]);

        // Set after the base backup, so a promoted standby does not wait for a standby of its own.
        var primary = Direct(replication.PrimaryPort, "postgres");
        if (synchronous)
        {
            await TestDatabase.ExecuteAsync(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
            await TestDatabase.ExecuteAsync(primary, "SELECT pg_reload_conf()");
        }

        var state = synchronous ? "sync" : "async";
        var watch = Stopwatch.StartNew();
        while (await TestDatabase.ScalarAsync(primary, $"SELECT count(*) FROM pg_stat_replication WHERE sync_state = '{state}'") != 1)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the standby does not stream ({state})");
            }

            await Task.Delay(100);
        }

        return replication;
    }

    public Task StopPrimaryHardAsync() => AsPostgresAsync(PgBin("pg_ctl"), ["-D", _primaryDirectory, "-m", "immediate", "-w", "stop"]);

    public Task PromoteStandbyAsync() => AsPostgresAsync(PgBin("pg_ctl"), ["-D", _standbyDirectory, "-w", "promote"]);

    public ValueTask DisposeAsync() => new(RemoveAsync());

    private async Task RemoveAsync()
    {
        foreach (var directory in new[] { _primaryDirectory, _standbyDirectory })
        {
            if (File.Exists(Path.Combine(directory, "postmaster.pid")))
            {
                // Best effort: a cluster left over from an aborted run may already be gone.
                var (file, arguments) = ExternalProcess.AsPostgresUser(PgBin("pg_ctl"), ["-D", directory, "-m", "immediate", "-w", "stop"]);
                await ExternalProcess.RunAsync(file, arguments);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            File.Delete(directory + ".port");
        }
    }

    private static string PgBin(string tool) =>
        Path.Combine(Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).Last(), "bin", tool);

    private static Task AsPostgresAsync(string file, string[] arguments)
    {
        var (command, commandArguments) = ExternalProcess.AsPostgresUser(file, arguments);
        return RunAsync(command, commandArguments);
    }

    private static async Task RunAsync(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var result = await ExternalProcess.RunAsync(file, arguments, environment: environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.AllOutput}");
        }
    }
}
