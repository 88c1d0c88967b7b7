using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Security;

/// <summary>
/// Bearer tokens from any OpenID Connect issuer (<see cref="AuthOptions"/>), and a policy per
/// scope. Secure by default: an endpoint with no policy of its own still needs a valid token
/// (the fallback policy); the probes and the metrics say <c>AllowAnonymous</c>.
/// </summary>
internal static partial class ApiSecurity
{
    public static IServiceCollection AddApiSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        if (auth.Enabled)
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            services.AddSingleton<ValidatedTokenCache>();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IOptions<AuthOptions>, ValidatedTokenCache>((jwt, options, cache) => Configure(jwt, options.Value, cache));
            services.AddHealthChecks().AddCheck<IdentityProviderReadiness>("identity-provider");
        }
        else
        {
            services.AddAuthentication();
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeForbiddenResponse>();
        services.AddAuthorization(authorization =>
        {
            foreach (var scope in Scopes.Descriptions.Keys)
            {
                authorization.AddPolicy(scope, policy =>
                {
                    if (auth.Enabled)
                    {
                        policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope));
                    }
                    else
                    {
                        // Auth__Enabled=false: the API is open on purpose, and every request line says so.
                        policy.RequireAssertion(_ => true);
                    }
                });
            }

            if (auth.Enabled)
            {
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        return services;
    }

    /// <summary>Who is calling (the token), then what runs between knowing it and checking it (the caller's rate limit), then whether they may.</summary>
    public static void UseApiSecurity(this WebApplication app, Action<WebApplication> onceTheCallerIsKnown)
    {
        ArgumentNullException.ThrowIfNull(onceTheCallerIsKnown);
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            LogAuthenticationOff(app.Logger);
        }

        app.UseAuthentication();
        onceTheCallerIsKnown(app);
        app.UseAuthorization();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF (Auth:Enabled=false): anyone who reaches the port may read and change everything. Every request line says Auth=disabled.")]
    private static partial void LogAuthenticationOff(ILogger logger);

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, ValidatedTokenCache cache)
    {
        jwt.Authority = auth.Authority;
        jwt.Audience = auth.Audience;
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        jwt.RefreshInterval = TimeSpan.FromSeconds(auth.KeyRefreshSeconds);

        // Claims keep the names the issuer gave them ("scope", "scp", "sub"), not WS-* URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds);
        jwt.TokenValidationParameters.ValidAlgorithms = auth.AcceptedAlgorithms;
        jwt.TokenValidationParameters.NameClaimType = "sub";

        if (cache.Enabled)
        {
            var handlers = jwt.TokenHandlers.Select(handler => new CachingTokenHandler(handler, cache)).ToList();
            jwt.TokenHandlers.Clear();
            handlers.ForEach(jwt.TokenHandlers.Add);
        }
    }
}

/// <summary>The rule that depends on another setting: an issuer and an audience, while authentication is on.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add("Auth:Authority must be the OpenID Connect issuer's URL (https://login.example.com/realms/app); to run the API open on purpose, set Auth:Enabled=false.");
        }
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
        {
            failures.Add("Auth:Authority is plain HTTP; set Auth:RequireHttpsMetadata=false to allow that (local issuers only).");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Auth:Audience must name this API as the issuer knows it (the aud of its tokens).");
        }

        if (options.Algorithms?.FirstOrDefault(algorithm => !AuthOptions.AsymmetricAlgorithms.Contains(algorithm, StringComparer.Ordinal)) is { } refused)
        {
            failures.Add($"Auth:Algorithms may name only asymmetric signing algorithms ({string.Join(", ", AuthOptions.AsymmetricAlgorithms)}); '{refused}' is not one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
