using System.Globalization;
using BackendService.Api.Observability;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Configuration;

internal static class ConfigurationRegistration
{
    /// <summary>
    /// Binds and validates the Api's settings; a bad value stops the process at startup. Ranges
    /// are data annotations on the options, with messages that name the setting; what they cannot
    /// say (lists to parse, a limit that depends on another) is <see cref="ApiOptionsValidator"/>.
    /// </summary>
    public static IServiceCollection AddApiOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpServerOptions>()
            .Bind(configuration.GetSection(HttpServerOptions.SectionName))
            .Configure(o => o.Port = ParsePort(configuration["PORT"]) ?? o.Port)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<CrossOriginOptions>().Bind(configuration.GetSection(CrossOriginOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpServerOptions>, ApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<CrossOriginOptions>, ApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ApiOptionsValidator>();
        return services;
    }

    private static int? ParsePort(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidConfigurationException($"PORT must be a TCP port number between 1 and 65535, not '{raw}'.");
    }
}

/// <summary>The rules annotations cannot state: lists to parse, and a limit that depends on another.</summary>
internal sealed class ApiOptionsValidator
    : IValidateOptions<HttpServerOptions>, IValidateOptions<CrossOriginOptions>, IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, HttpServerOptions options) =>
        options.MaxApiRequestBodyBytes <= options.MaxRequestBodyBytes
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Http:MaxApiRequestBodyBytes must be at most Http:MaxRequestBodyBytes.");

    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = options.Proxies.Where(proxy => !ForwardedHeadersSettings.IsAddress(proxy))
            .Select(proxy => $"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address.")
            .Concat(options.Networks.Where(network => !ForwardedHeadersSettings.IsNetwork(network))
                .Select(network => $"ForwardedHeaders:KnownNetworks has '{network}', which is not a network like 10.244.0.0/16."))
            .ToList();
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, CrossOriginOptions options)
    {
        var failures = options.Origins
            .Where(origin => !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            .Select(origin => $"Cors:AllowedOrigins has '{origin}', which is not an origin like https://app.example.com (no path, no wildcard).")
            .ToList();
        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
