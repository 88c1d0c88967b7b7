using System.Globalization;
using BackendService.Api.Observability;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Configuration;

internal static class ConfigurationRegistration
{
    /// <summary>Binds and validates the Api's settings; a bad value stops the process at startup.</summary>
    public static IServiceCollection AddApiOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpServerOptions>()
            .Bind(configuration.GetSection(HttpServerOptions.SectionName))
            .Configure(o => o.Port = ParsePort(configuration["PORT"]) ?? o.Port)
            .ValidateOnStart();
        services.AddOptions<CrossOriginOptions>().Bind(configuration.GetSection(CrossOriginOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateOnStart();
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ApiOptionsValidator>();
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ApiOptionsValidator>();
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidConfigurationException(
                "ASPNETCORE_FORWARDEDHEADERS_ENABLED=true believes X-Forwarded-For from any sender; name the proxies instead with ForwardedHeaders__KnownProxies or ForwardedHeaders__KnownNetworks.");
        }

        services.AddSingleton<IValidateOptions<HttpServerOptions>, ApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<CrossOriginOptions>, ApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, ApiOptionsValidator>();
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

internal sealed class ApiOptionsValidator
    : IValidateOptions<HttpServerOptions>, IValidateOptions<CrossOriginOptions>, IValidateOptions<RateLimitOptions>, IValidateOptions<ForwardedHeadersSettings>,
        IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options) =>
        options.Port is null or (>= 1 and <= 65535)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Management:Port must be between 1 and 65535, not {options.Port}.");

    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = options.Proxies.Where(proxy => !ForwardedHeadersSettings.IsAddress(proxy))
            .Select(proxy => $"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address.")
            .Concat(options.Networks.Where(network => !ForwardedHeadersSettings.IsNetwork(network))
                .Select(network => $"ForwardedHeaders:KnownNetworks has '{network}', which is not a network like 10.244.0.0/16."))
            .ToList();
        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, HttpServerOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"PORT (Http:Port) must be between 1 and 65535, not {options.Port}.");
        }

        if (options.RequestTimeoutSeconds < 1)
        {
            failures.Add("Http:RequestTimeoutSeconds must be at least 1.");
        }

        if (options.MaxRequestBodyBytes < 1)
        {
            failures.Add("Http:MaxRequestBodyBytes must be at least 1.");
        }

        if (options.MaxApiRequestBodyBytes < 1 || options.MaxApiRequestBodyBytes > options.MaxRequestBodyBytes)
        {
            failures.Add("Http:MaxApiRequestBodyBytes must be at least 1 and at most Http:MaxRequestBodyBytes.");
        }

        if (options.MaxRequestTargetBytes < 256)
        {
            failures.Add("Http:MaxRequestTargetBytes must be at least 256.");
        }

        if (options.DrainDelaySeconds < 0)
        {
            failures.Add("Http:DrainDelaySeconds must not be negative.");
        }

        if (options.ShutdownTimeoutSeconds < 1)
        {
            failures.Add("Http:ShutdownTimeoutSeconds must be at least 1.");
        }

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

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.PermitLimit < 1)
        {
            failures.Add("RateLimiting:PermitLimit must be at least 1.");
        }

        if (options.WindowSeconds < 1)
        {
            failures.Add("RateLimiting:WindowSeconds must be at least 1.");
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
