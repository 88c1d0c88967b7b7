using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BackendService.Tests.Support;
using BackendService.Tests.Users;

namespace BackendService.Tests.Operations;

/// <summary>
/// The README's first command with security on: scripts/run.sh starts a local identity
/// provider, prints a ready-to-paste curl with a token, and that token works; the development
/// user's token from scripts/idp.sh token --user reaches its own (not yet created) record; the
/// document offers Swagger UI's sign-in; a SIGTERM to the script's process stops the server it started.
/// </summary>
public sealed partial class RunScriptTests
{
    [Test]
    public async Task RunScript_PrintsACurlWithAWorkingToken()
    {
        var port = ExternalProcess.FreeLoopbackPort();
        var idpDirectory = Directory.CreateTempSubdirectory("run-idp-").FullName;
        var root = TestDatabase.RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "run.sh")]);
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DATABASE_URL"] = await TestDatabase.CreateFreshAsync("backendservice_tests_run_script");
        start.Environment["LOCAL_IDP_DIR"] = idpDirectory;
        start.Environment["LOCAL_IDP_PORT"] = ExternalProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("Auth__Enabled");
        start.Environment.Remove("Auth__Authority");

        await using (var run = BackgroundProcess.Start(start))
        {
            try
            {
                var token = await WaitForTokenAsync(run, port);
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                var withToken = await PollAsync(client, token);
                using var withoutToken = await new UsersApi(client).ListAsync();

                Assert.That(withToken, Is.EqualTo(HttpStatusCode.OK), run.Output);
                Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

                var endUser = await ExternalProcess.RunAsync("bash", [Path.Combine(root, "scripts", "idp.sh"), "token", "--user", "ada"], environment: new Dictionary<string, string> { ["LOCAL_IDP_DIR"] = idpDirectory });
                Assert.That(endUser.ExitCode, Is.Zero, endUser.AllOutput);
                using (var me = new HttpRequestMessage(HttpMethod.Get, UsersApi.Path + "/me"))
                {
                    me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endUser.Output.Trim());
                    using var mine = await client.SendAsync(me);
                    using var list = new HttpRequestMessage(HttpMethod.Get, UsersApi.Path);
                    list.Headers.Authorization = me.Headers.Authorization;
                    using var everyone = await client.SendAsync(list);
                    Assert.That((mine.StatusCode, everyone.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.Forbidden)), "ada has no record yet, and sees no one else's");
                }

                Assert.That(await client.GetStringAsync("/swagger/v1/swagger.json"), Does.Contain("\"openIdConnectUrl\""), "Swagger UI offers the development users' sign-in");

                // The script's process has become the server (exec), not a parent of it: a parent such
                // as `dotnet run` may or may not pass a signal on, the server itself always gets it.
                var commandLine = (await File.ReadAllTextAsync($"/proc/{run.Pid}/cmdline")).Replace('\0', ' ');
                Assert.That(commandLine, Does.EndWith("BackendService.Api.dll "), "the script's pid runs the service itself");

                // SIGTERM to the script's own process (as a supervisor or an IDE sends it) stops the server and frees the port.
                using (var kill = Process.Start("kill", ["-TERM", run.Pid.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                Assert.That(await run.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, "the server itself got the signal and stopped gracefully");
                Assert.That(await ExternalProcess.AcceptsConnectionsAsync(port), Is.False, "nothing is left listening on the port");
            }
            finally
            {
                await ExternalProcess.RunAsync("bash", [Path.Combine(root, "scripts", "idp.sh"), "stop"], environment: new Dictionary<string, string> { ["LOCAL_IDP_DIR"] = idpDirectory });
            }
        }

        Directory.Delete(idpDirectory, recursive: true);
    }

    private static async Task<string> WaitForTokenAsync(BackgroundProcess run, int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && !run.HasExited)
        {
            var match = run.Lines.Select(line => CurlLine().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                Assert.That(match.Groups["port"].Value, Is.EqualTo(port.ToString(CultureInfo.InvariantCulture)));
                return match.Groups["token"].Value;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no curl line with a token: {run.Output}");
        return string.Empty;
    }

    // The service builds and starts after the line is printed: ask until it answers.
    private static async Task<HttpStatusCode?> PollAsync(HttpClient client, string token)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, UsersApi.Path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    return response.StatusCode;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        return null;
    }

    [GeneratedRegex("""curl -H "Authorization: Bearer (?<token>[A-Za-z0-9_.-]+)" http://localhost:(?<port>\d+)/api/v1/users""")]
    private static partial Regex CurlLine();
}
