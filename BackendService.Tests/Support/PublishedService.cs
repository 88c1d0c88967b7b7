using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace BackendService.Tests.Support;

/// <summary>
/// The service as it ships: published in Release and run as its own process with only
/// environment variables for configuration, its stdout and stderr captured line by line.
/// </summary>
internal sealed class PublishedService : IAsyncDisposable
{
    private static readonly SemaphoreSlim PublishLock = new(1, 1);
    private static string? _publishDirectory;

    private readonly BackgroundProcess _process;

    private PublishedService(BackgroundProcess process, int port, int? managementPort)
    {
        _process = process;
        Port = port;
        ManagementPort = managementPort;
    }

    public int Port { get; }

    /// <summary>Management__Port when the test set one: the probes answer there, not on <see cref="Port"/>.</summary>
    public int? ManagementPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public IReadOnlyList<string> Lines => _process.Lines;

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the published service with <paramref name="environment"/>; on <paramref name="port"/>, or a free one.</summary>
    public static async Task<PublishedService> StartAsync(IReadOnlyDictionary<string, string> environment, string[]? arguments = null, int? port = null)
    {
        var directory = await PublishAsync();
        port ??= ExternalProcess.FreeLoopbackPort();
        // Through coreutils' env, which then becomes dotnet (same pid): SIGINT restored to its default,
        // because a runner started as a background job of a non-interactive shell ignores it, and
        // an ignored signal stays ignored across exec, so Ctrl+C would never reach the service.
        var start = new ProcessStartInfo("env", ["--default-signal=SIGINT", "dotnet", Path.Combine(directory, "BackendService.Api.dll"), .. arguments ?? []])
        {
            WorkingDirectory = directory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["PORT"] = port.Value.ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("DATABASE_URL");
        start.Environment["Auth__Enabled"] = "false"; // open on purpose, unless a test says otherwise
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var management = environment.TryGetValue("Management__Port", out var managementSetting) && int.TryParse(managementSetting, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        return new PublishedService(BackgroundProcess.Start(start), port.Value, management);
    }

    /// <summary>Starts it and waits until readiness answers 200; the test fails with the process's output if it does not within 30 s.</summary>
    public static async Task<PublishedService> StartReadyAsync(IReadOnlyDictionary<string, string> environment)
    {
        var service = await StartAsync(environment);
        if (!await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(30)))
        {
            var output = string.Join('\n', service.Lines);
            await service.DisposeAsync();
            Assert.Fail($"the service was not ready within 30 s:\n{output}");
        }

        return service;
    }

    /// <summary>Polls readiness until it answers 200; false if the process exits or time runs out.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort ?? Port}"), Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // One probe took longer than the client's 2 s (a process still starting on a
                // loaded machine): ask again until the overall timeout, as a kubelet would.
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Whether the process ignores <paramref name="signal"/> (its bit in /proc/&lt;pid&gt;/status SigIgn).</summary>
    public bool Ignores(int signal)
    {
        var mask = File.ReadLines($"/proc/{Pid}/status").Single(line => line.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return (ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (signal - 1))) != 0;
    }

    public async Task SendSignalAsync(string signal)
    {
        await ExternalProcess.RunAsync("kill", [$"-{signal}", Pid.ToString(CultureInfo.InvariantCulture)]);
    }

    /// <summary>The exit code, or null if the process was still running after <paramref name="timeout"/>.</summary>
    public Task<int?> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<string> PublishAsync()
    {
        await PublishLock.WaitAsync();
        try
        {
            if (_publishDirectory is not null)
            {
                return _publishDirectory;
            }

            // Exactly as the container image is built: the Dockerfile's own dotnet commands.
            var root = TestDatabase.RepositoryRoot();
            var output = Path.Combine(root, ".local", "publish-tests");
            foreach (var command in DockerfileBuildCommands(output))
            {
                var result = await ExternalProcess.RunAsync("dotnet", [.. command, "--nologo", "-v", "quiet"], workingDirectory: root);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dotnet {string.Join(' ', command)} failed: {result.AllOutput}");
                }
            }

            _publishDirectory = output;
            return output;
        }
        finally
        {
            PublishLock.Release();
        }
    }

    /// <summary>
    /// The <c>RUN dotnet …</c> lines of the Dockerfile's build stage (restore, publish), each as
    /// its arguments, with the image's output folder replaced by <paramref name="output"/>.
    /// </summary>
    internal static IReadOnlyList<string[]> DockerfileBuildCommands(string output) =>
        [.. File.ReadLines(Path.Combine(TestDatabase.RepositoryRoot(), "Dockerfile"))
            .Where(line => line.StartsWith("RUN dotnet ", StringComparison.Ordinal))
            .Select(line =>
            {
                var arguments = line["RUN dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var outputAt = Array.IndexOf(arguments, "-o");
                if (outputAt >= 0)
                {
                    arguments[outputAt + 1] = output;
                }

                return arguments;
            })];
}
