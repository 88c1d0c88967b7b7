using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Security;

/// <summary>
/// Not ready until the issuer's signing keys have been fetched once: a pod that cannot check
/// tokens would answer every request 401. Afterwards the keys are cached (and refreshed in the
/// background), so an issuer that is briefly down does not take healthy pods out of service.
/// </summary>
internal sealed class IdentityProviderReadiness(IOptionsMonitor<JwtBearerOptions> bearer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The identity provider publishes no signing keys.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The identity provider's keys could not be fetched: {ex.GetBaseException().Message}");
        }
    }
}
