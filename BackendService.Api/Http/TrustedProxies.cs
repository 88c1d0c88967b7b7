using System.Net;
using BackendService.Api.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Http;

/// <summary>
/// X-Forwarded-For and -Proto, believed only from the proxies the settings name. ASP.NET
/// Core's own switch (ASPNETCORE_FORWARDEDHEADERS_ENABLED) believes every sender, so one header
/// would give any client a fresh rate-limit bucket and a forged address in the logs: the
/// service refuses to start with it.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidConfigurationException(
                "ASPNETCORE_FORWARDEDHEADERS_ENABLED=true believes X-Forwarded-For from any sender; name the proxies instead with ForwardedHeaders__KnownProxies or ForwardedHeaders__KnownNetworks.");
        }

        return services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // The defaults trust loopback; only what the settings name is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.Proxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.Networks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        }).Services;
    }

    /// <summary>
    /// The client's address as the logs and the rate limiter use it: the TCP peer, or the client
    /// a trusted proxy named; an IPv4 peer on the dual-stack listener as plain IPv4.
    /// </summary>
    public static string? ClientAddress(this HttpContext http) =>
        http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped
            ? mapped.MapToIPv4().ToString()
            : http.Connection.RemoteIpAddress?.ToString();

    /// <summary>First in the pipeline, so the logs, the rate limiter and everything after see the client.</summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }
    }
}
