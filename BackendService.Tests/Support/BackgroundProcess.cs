using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace BackendService.Tests.Support;

/// <summary>
/// A server the tests start and stop themselves (pgbouncer, nginx): its output is kept for the
/// failure message, and it is killed on dispose if it is still running.
/// </summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private bool _disposed;

    private BackgroundProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <paramref name="file"/>; as the postgres OS user when <paramref name="asPostgresUser"/> and we are root (servers that refuse root).</summary>
    public static BackgroundProcess Start(string file, IEnumerable<string> arguments, bool asPostgresUser = false)
    {
        var start = Environment.UserName == "root" && asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return new BackgroundProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    /// <summary>
    /// Starts a server that refuses to run as root (pgbouncer) or need not (nginx) as the
    /// postgres OS user when we are root, handing it <paramref name="filesDirectory"/>, and
    /// returns once it accepts connections on <paramref name="port"/>.
    /// </summary>
    public static async Task<BackgroundProcess> StartServerAsync(string file, IEnumerable<string> arguments, string filesDirectory, int port)
    {
        if (Environment.UserName == "root")
        {
            await ExternalProcess.RunAsync("chown", ["-R", "postgres", filesDirectory]);
        }

        var process = Start(file, arguments, asPostgresUser: true);
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(10));
        return process;
    }

    /// <summary>Waits until something accepts TCP connections on the loopback port; throws with the output if the process exits or time runs out.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listened on port {port} after {timeout}: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
