using System.Globalization;

/// <summary>
/// What an Idempotency-Key costs a create: POST with a new key on every request against POST
/// without one, on the same service process, in turns. The target is 1.25 or less (CPU per request).
/// </summary>
internal static class IdempotencyPrice
{
    private static readonly Endpoint[] Sides = [new("POST /users, no key", "post"), new("POST /users + key", "post_idempotent")];

    /// <summary><c>bench/run --idempotency</c>: this measurement alone, on a service started for it (both sides warmed).</summary>
    public static async Task<int> RunAloneAsync(HarnessOptions options)
    {
        await Database.SeedAsync(options);
        await using var service = await ServerProcess.StartAsync(Target.Service(options), options);
        if (options.Warmup > 0)
        {
            await service.MeasureAsync(Sides[0], options, options.Warmup);
        }

        Print(await MeasureAsync(service, options));
        return 0;
    }

    public static async Task<Dictionary<string, Measurement>> MeasureAsync(ServerProcess service, HarnessOptions options)
    {
        if (options.Warmup > 0)
        {
            await service.MeasureAsync(Sides[1], options, options.Warmup);
        }

        var runs = Sides.ToDictionary(s => s.Name, _ => new List<Measurement>());
        for (var i = 0; i < options.Repeats; i++)
        {
            foreach (var side in Sides)
            {
                runs[side.Name].Add(await service.MeasureAsync(side, options));
            }
        }

        return runs.ToDictionary(r => r.Key, r => Measurement.Median(r.Value));
    }

    public static void Print(Dictionary<string, Measurement> results)
    {
        Console.WriteLine("idempotency (POST with a new Idempotency-Key on every request vs without, the service, in turns):");
        foreach (var (name, measurement) in results)
        {
            Console.WriteLine(Report.Line(name, "service", measurement));
        }

        var (plain, keyed) = (results["POST /users, no key"], results["POST /users + key"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  with key / without: cpu/request {keyed.CpuUsPerRequest / plain.CpuUsPerRequest:0.00} (target 1.25 or less)  throughput {keyed.RequestsPerSecond / plain.RequestsPerSecond:0.00}"));
    }
}
