using System.Globalization;

/// <summary>
/// Latency at a steady rate, not at saturation: GET by id at half the floor's peak throughput,
/// service and floor in turns, each connection pacing its requests (bench/wrk/get_by_id_paced.lua).
/// The pacing is a closed loop (the wait starts when the response is in), so it is calibrated
/// on each side to reach the rate; the achieved rate of each side is printed beside it.
/// </summary>
internal static class SteadyRate
{
    public static async Task<Result> MeasureAsync(Dictionary<string, ServerProcess> servers, double rate, HarnessOptions options)
    {
        // Each side is calibrated on its own: a slower server would otherwise be offered less.
        var intervals = new Dictionary<string, double>();
        foreach (var name in new[] { "service", "baseline" })
        {
            var interval = options.Connections * 1000.0 / rate;
            for (var i = 0; i < 3; i++)
            {
                var probe = await servers[name].MeasureAsync(Paced(interval), options, seconds: 3);
                interval *= probe.RequestsPerSecond / rate;
            }

            intervals[name] = interval;
        }

        var runs = new Dictionary<string, List<Measurement>> { ["service"] = [], ["baseline"] = [] };
        for (var i = 0; i < options.Repeats; i++)
        {
            foreach (var (name, list) in runs)
            {
                list.Add(await servers[name].MeasureAsync(Paced(intervals[name]), options));
            }
        }

        return new Result(rate, intervals, runs.ToDictionary(r => r.Key, r => Measurement.Median(r.Value)));
    }

    private static Endpoint Paced(double intervalMs) =>
        new("GET /users/{id} paced", "get_by_id_paced", Interval: intervalMs);

    internal sealed record Result(double Rate, Dictionary<string, double> IntervalsMs, Dictionary<string, Measurement> Sides)
    {
        public void Print()
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"steady rate (GET /users/{{id}} at half the floor's peak: {Rate:0} req/s offered; between requests each connection waits {IntervalsMs["service"]:0.00} ms on the service, {IntervalsMs["baseline"]:0.00} ms on the floor):"));
            foreach (var (name, m) in Sides)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-9} {m.RequestsPerSecond,7:0} req/s achieved  p50 {m.P50Ms,6:0.00} ms  p99 {m.P99Ms,6:0.00} ms  max {m.MaxMs,7:0.00} ms  errors {m.Errors}  non-2xx {m.Non2xx}  cpu {m.CpuUsPerRequest,6:0.0} us/req"));
            }

            var (service, floor) = (Sides["service"], Sides["baseline"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  service / floor: p50 {service.P50Ms / floor.P50Ms:0.00}  p99 {service.P99Ms / floor.P99Ms:0.00} (target 2 or less)  max {service.MaxMs / floor.MaxMs:0.00}"));
        }
    }
}
