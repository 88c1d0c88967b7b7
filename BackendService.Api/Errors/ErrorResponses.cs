using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Errors;

/// <summary>
/// How errors leave the service. Four mechanisms decide the status, each with one job, and all
/// write through <see cref="IProblemDetailsService"/> (so through <see cref="ProblemJsonWriter"/>):
/// <list type="bullet">
/// <item><see cref="ApiExceptionFilter"/>: errors our code raises on purpose (domain errors, the database unavailable).</item>
/// <item><see cref="InvalidRequestResponse"/>: what MVC's model binding refuses (malformed JSON, unknown or duplicate members, a bad id or query value).</item>
/// <item>The exception handler middleware: every other exception — a bad request Kestrel reports
/// while the body is read (413, 400, 408) with its own status, a client that went away with none,
/// anything else as a logged 500.</item>
/// <item>Status code pages: any error status set without a body (unknown route, method, media type, 429, 504, 414).</item>
/// </list>
/// </summary>
internal static class ErrorResponses
{
    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        // Registered before AddProblemDetails adds the framework's writer: the first writer that can write wins.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDefaults.Apply);
        services.AddSingleton<ApiExceptionFilter>();
        // Post-configured: AddControllers installs MVC's own factory, whichever is registered first.
        services.PostConfigure<ApiBehaviorOptions>(api =>
        {
            api.InvalidModelStateResponseFactory = InvalidRequestResponse.Create;

            // MVC's bodiless client errors (415 from [Consumes], say) are left to status code pages.
            api.SuppressMapClientErrors = true;
        });
        services.Configure<ExceptionHandlerOptions>(handler =>
        {
            handler.StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

            // A body too large or cut short is the client's mistake, answered and not worth an Error log.
            handler.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException { StatusCode: < 500 };
        });
        return services;
    }

    /// <summary>One filter instance for every request: added by type, MVC would rebuild the action's filter list each time.</summary>
    public static void AddApiExceptionFilter(this MvcOptions mvc) =>
        mvc.Filters.Add(new ServiceFilterAttribute(typeof(ApiExceptionFilter)) { IsReusable = true });

    public static void UseErrorResponses(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }
}
