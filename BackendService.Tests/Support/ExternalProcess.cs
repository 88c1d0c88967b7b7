using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BackendService.Tests.Support;

/// <summary>What a finished command printed and how it ended.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string AllOutput => Output + Error;
}

/// <summary>Runs the tools the tests drive (scripts/db.sh, dotnet publish, npm, kubectl, kill).</summary>
internal static class ExternalProcess
{
    /// <summary>Runs a command to its end and returns its exit code and both outputs, read concurrently.</summary>
    /// <summary>
    /// The repository folder <paramref name="folder"/> (a pinned npm package.json) with its
    /// packages installed: npm ci once per machine, unless <paramref name="installed"/> (a path
    /// in the folder) is there already (scripts/test.sh installs them up front; a bare dotnet test
    /// installs them here, on first need).
    /// </summary>
    public static async Task<string> NpmFolderAsync(string folder, string installed)
    {
        var directory = Path.Combine(TestDatabase.RepositoryRoot(), folder);
        if (!Path.Exists(Path.Combine(directory, installed)))
        {
            var result = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], workingDirectory: directory);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {directory} failed: {result.AllOutput}");
            }
        }

        return directory;
    }

    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>The command as the postgres OS user when we are root: PostgreSQL's servers and tools refuse root.</summary>
    public static (string File, string[] Arguments) AsPostgresUser(string file, IEnumerable<string> arguments) =>
        Environment.UserName == "root" ? ("runuser", ["-u", "postgres", "--", file, .. arguments]) : (file, [.. arguments]);

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts TCP connections on the loopback port right now.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
