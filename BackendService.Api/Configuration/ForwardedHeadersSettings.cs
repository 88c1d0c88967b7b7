using System.Net;

namespace BackendService.Api.Configuration;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed. None by default: a
/// client address is then always the TCP peer's, and no header can change it.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses separated by commas or spaces, e.g. <c>10.0.0.7,10.0.0.8</c>.</summary>
    public string KnownProxies { get; set; } = string.Empty;

    /// <summary>Proxy networks in CIDR form separated by commas or spaces, e.g. <c>10.244.0.0/16</c> (the ingress pods).</summary>
    public string KnownNetworks { get; set; } = string.Empty;

    public IReadOnlyList<string> Proxies => Split(KnownProxies);

    public IReadOnlyList<string> Networks => Split(KnownNetworks);

    public bool TrustsAnyProxy => Proxies.Count > 0 || Networks.Count > 0;

    public static bool IsAddress(string text) => IPAddress.TryParse(text, out _);

    public static bool IsNetwork(string text) => IPNetwork.TryParse(text, out _);

    private static string[] Split(string list) => list.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
