using System.Collections.Concurrent;
using System.Diagnostics;

namespace BackendService.Tests.Support;

/// <summary>
/// A long-running process the tests start and stop themselves (the published service, nginx,
/// a connection pooler): its output is kept line by line for assertions and failure messages, and
/// it is killed with its children on dispose if it is still running.
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

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines);

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/>; as the postgres OS user when <paramref name="asPostgresUser"/> and we are root (servers that refuse root).</summary>
    public static BackgroundProcess Start(string file, IEnumerable<string> arguments, bool asPostgresUser = false)
    {
        var (command, commandArguments) = asPostgresUser ? ExternalProcess.AsPostgresUser(file, arguments) : (file, [.. arguments]);
        return Start(new ProcessStartInfo(command, commandArguments));
    }

    /// <summary>Starts the process <paramref name="start"/> describes, with both outputs captured.</summary>
    public static BackgroundProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return new BackgroundProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
    }

    /// <summary>The exit code, or null if the process was still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts a server that refuses to run as root (a connection pooler) or need not (nginx) as the
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

            if (await ExternalProcess.AcceptsConnectionsAsync(port))
            {
                return;
            }

            await Task.Delay(50);
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
