using System.Globalization;

/// <summary>
/// The performance targets (bench/RESULTS.md, issue 26), one line each, met or missed, from the
/// figures of this invocation: ahead of the Node.js peer on every endpoint (throughput higher
/// and CPU per request lower), within 1.8× the floor's CPU per request and at 0.65× its
/// throughput (the standing aim 1.6× / 0.75× beside), authentication, keyed POST and steady-rate
/// p99 within their bounds.
/// </summary>
internal static class Targets
{
    public static void Print(
        Dictionary<(string Target, string Endpoint), Measurement> results,
        IEnumerable<Endpoint> endpoints,
        bool withPeer,
        Dictionary<string, Measurement> authentication,
        SteadyRate.Result? steady,
        Dictionary<string, Measurement> idempotency)
    {
        Console.WriteLine("targets:");
        foreach (var endpoint in endpoints)
        {
            var service = results[("service", endpoint.Name)];
            var floor = results[("baseline", endpoint.Name)];
            if (withPeer)
            {
                var peer = results[("peer", endpoint.Name)];
                Line($"{endpoint.Name}: ahead of the peer", service.RequestsPerSecond > peer.RequestsPerSecond && service.CpuUsPerRequest < peer.CpuUsPerRequest,
                    $"{service.RequestsPerSecond:0} vs {peer.RequestsPerSecond:0} req/s, {service.CpuUsPerRequest:0.0} vs {peer.CpuUsPerRequest:0.0} us/req");
            }

            var cpu = service.CpuUsPerRequest / floor.CpuUsPerRequest;
            var throughput = service.RequestsPerSecond / floor.RequestsPerSecond;
            Line($"{endpoint.Name}: cpu/request <= 1.8 x floor", cpu <= 1.8, $"{cpu:0.00} (aim 1.6: {(cpu <= 1.6 ? "met" : "not yet")})");
            Line($"{endpoint.Name}: throughput >= 0.65 x floor", throughput >= 0.65, $"{throughput:0.00} (aim 0.75: {(throughput >= 0.75 ? "met" : "not yet")})");
        }

        if (authentication.Count > 0)
        {
            var price = authentication["auth"].CpuUsPerRequest - authentication["no-auth"].CpuUsPerRequest;
            Line("authentication <= 25 us per request", price <= 25, $"{price:+0.0;-0.0} us");
        }

        if (idempotency.Count > 0)
        {
            var ratio = idempotency["POST /users + key"].CpuUsPerRequest / idempotency["POST /users, no key"].CpuUsPerRequest;
            Line("keyed POST <= 1.25 x a plain one (CPU)", ratio <= 1.25, $"{ratio:0.00}");
        }

        if (steady is not null)
        {
            var ratio = steady.Sides["service"].P99Ms / steady.Sides["baseline"].P99Ms;
            Line("steady-rate p99 <= 2 x floor", ratio <= 2, $"{ratio:0.00}");
        }
    }

    private static void Line(string target, bool met, FormattableString figures) =>
        Console.WriteLine($"  {(met ? "MET   " : "MISSED")} {target,-50} {figures.ToString(CultureInfo.InvariantCulture)}");
}
