using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Net.Http.Headers;

namespace BackendService.Api.Http;

/// <summary>
/// What the API's actions answer is personal data: no shared cache (a proxy, a CDN) may keep it,
/// and a browser must ask again before reusing it — <c>Cache-Control: private, no-cache</c>. A
/// conditional GET keeps working: the revalidation is the If-None-Match request, answered 304.
/// Set as the response starts, so every way out (a replayed idempotent answer, an error) carries it.
/// </summary>
internal static class PrivateResponses
{
    public const string CacheControl = "private, no-cache";

    /// <summary>After routing: only requests for a controller action are marked.</summary>
    public static void UsePrivateResponses(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<ControllerActionDescriptor>() is not null)
            {
                http.Response.OnStarting(MarkPrivate, http.Response);
            }

            return next(http);
        });

    private static Task MarkPrivate(object state)
    {
        var response = (HttpResponse)state;
        if (!response.Headers.ContainsKey(HeaderNames.CacheControl))
        {
            response.Headers.CacheControl = CacheControl;
        }

        return Task.CompletedTask;
    }
}
