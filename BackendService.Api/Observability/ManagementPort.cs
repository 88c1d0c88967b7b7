using BackendService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Observability;

/// <summary>Marks an endpoint the platform calls (probes, metric scrapes) rather than clients.</summary>
internal sealed class OperationalEndpointMetadata
{
    public static readonly OperationalEndpointMetadata Instance = new();
}

/// <summary>
/// With <see cref="ManagementOptions.Port"/> set, the port a connection arrived on decides what it
/// reaches: operational endpoints answer only on the management port, everything else (the API,
/// Swagger) only on <c>PORT</c>; elsewhere the answer is 404. Decided by the socket
/// (<c>Connection.LocalPort</c>), never by the Host header, which the client writes.
/// </summary>
internal static class ManagementPort
{
    public static IEndpointConventionBuilder Operational(this IEndpointConventionBuilder endpoint) =>
        endpoint.WithMetadata(OperationalEndpointMetadata.Instance);

    /// <summary>After routing, before authentication (so the wrong port is a 404, not a 401).</summary>
    public static void UseManagementPort(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.Port is not { } port
            || port == app.Services.GetRequiredService<IOptions<HttpServerOptions>>().Value.Port)
        {
            return;
        }

        app.Use((http, next) =>
        {
            var operational = http.GetEndpoint()?.Metadata.GetMetadata<OperationalEndpointMetadata>() is not null;
            if (operational == (http.Connection.LocalPort == port))
            {
                return next(http);
            }

            http.SetEndpoint(null);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
