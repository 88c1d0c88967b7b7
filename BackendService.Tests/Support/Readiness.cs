using System.Diagnostics;
using System.Net;

namespace BackendService.Tests.Support;

/// <summary>
/// Readiness as a kubelet sees it after a change: one database check serves the probes of a
/// second (Database:ReadinessCheckReuseMilliseconds), so readiness follows the database within
/// that second, not at once. Asks again until it answers <c>expected</c> or 2.5 s have passed.
/// </summary>
internal static class Readiness
{
    public static async Task<HttpResponseMessage> AwaitAsync(HttpClient client, HttpStatusCode expected)
    {
        var ready = await client.GetAsync("/health/ready");
        for (var waited = Stopwatch.StartNew(); ready.StatusCode != expected && waited.Elapsed < TimeSpan.FromSeconds(2.5);)
        {
            ready.Dispose();
            await Task.Delay(100);
            ready = await client.GetAsync("/health/ready");
        }

        return ready;
    }
}
