namespace BackendService.Api.Hosting;

/// <summary><c>--migrate-only</c>: apply the migrations and exit, for a Kubernetes Job or init container.</summary>
internal static class MigrateOnly
{
    public const string Switch = "--migrate-only";

    public static bool IsRequested(string[] args) => args.Contains(Switch);

    /// <summary>The arguments for the host, without ours (it would read an unknown switch as a setting).</summary>
    public static string[] HostArguments(string[] args) => [.. args.Where(argument => argument != Switch)];
}
