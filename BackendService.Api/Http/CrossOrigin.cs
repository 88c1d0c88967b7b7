using BackendService.Api.Configuration;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace BackendService.Api.Http;

/// <summary>
/// CORS from configuration: only the listed origins, only the API's methods. A disallowed
/// origin simply gets no Access-Control-Allow-Origin, so the browser blocks the response.
/// </summary>
internal static class CrossOrigin
{
    public static IServiceCollection AddCrossOrigin(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CrossOriginOptions>>((cors, allowed) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. allowed.Value.Origins])
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
                .AllowAnyHeader()

                // Without these a browser script cannot read the headers the contract relies on.
                .WithExposedHeaders("Location", "ETag", "Link", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }
}
