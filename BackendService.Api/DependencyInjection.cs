using System.Text.Json.Serialization;
using BackendService.Api.Configuration;
using BackendService.Api.Errors;
using BackendService.Api.Health;
using BackendService.Api.Hosting;
using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using BackendService.Api.Observability;
using BackendService.Api.OpenApi;
using BackendService.Api.Security;
using BackendService.Api.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace BackendService.Api;

public static class DependencyInjection
{
    // Swashbuckle's default route prefix: the document and the UI both live under it.
    private const string SwaggerPath = "/swagger";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiOptions(configuration);

        services.AddErrorResponses();
        services.AddControllers(mvc =>
            {
                mvc.AddApiExceptionFilter();
                mvc.ModelBindingMessageProvider.EchoNoClientValues();
                mvc.Conventions.Add(new StandardResponsesConvention());

                // The rules live in the value objects (one home each, one 400 listing every
                // broken rule); the data annotations on request types only document them.
                mvc.ModelValidatorProviders.Clear();
            })
            .AddJsonOptions(json =>
            {
                // A typo such as "emial" must be an error, not silently dropped; so must a
                // member given twice ("email" and "Email"), which would otherwise be last-wins.
                json.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                json.JsonSerializerOptions.AllowDuplicateProperties = false;
                json.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
                JsonConventions.Apply(json.JsonSerializerOptions);

                // Parser messages quote .NET type names; InvalidRequestResponse writes our own.
                json.AllowInputFormatterExceptionMessages = false;
            });

        services.AddScoped<IdempotencyFilter>();
        services.AddApiSecurity(configuration);
        services.AddTelemetry(configuration);
        services.AddCrossOrigin();
        services.AddTrustedProxies(configuration);
        services.AddRequestLimits();
        services.AddHealthChecks().AddCheck<ShutdownHealthCheck>("shutdown");

        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "BackendService API",
                Version = "v1",
                Description = "Resources to create, read, list (keyset-paginated), update (with If-Match) and delete. Errors are RFC 9457 ProblemDetails.",
            });
            swagger.IncludeXmlComments(typeof(DependencyInjection).Assembly, includeControllerXmlComments: true);
            swagger.IncludeXmlComments(typeof(Application.DependencyInjection).Assembly);

            // Route names are the operation ids: stable, and the method names of generated clients.
            swagger.CustomOperationIds(api => api.ActionDescriptor.AttributeRouteInfo?.Name);
            swagger.SupportNonNullableReferenceTypes();
            swagger.SchemaFilter<ContractSchemaFilter>();
            JsonConventions.Document(swagger);
            swagger.OperationFilter<HttpContractOperationFilter>();
            swagger.AddSecurityDefinition(BearerSecurityOperationFilter.SchemeName, BearerSecurityOperationFilter.Scheme);
            if (configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() is { } auth && BearerSecurityOperationFilter.OffersSignIn(auth))
            {
                swagger.AddSecurityDefinition(BearerSecurityOperationFilter.SignInSchemeName, BearerSecurityOperationFilter.SignInScheme(auth.Authority!));
            }

            swagger.OperationFilter<BearerSecurityOperationFilter>();
        });

        return services;
    }

    /// <summary>The request pipeline, outermost first.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseTrustedProxies();

        // Outermost but for the client address, so the request line has the status the client
        // got, whichever way it was written.
        app.UseRequestLogging();
        app.UseErrorResponses();
        app.UseConnectionDraining();
        app.UseSecurityHeaders();
        app.UseCors();
        app.UseRouting();
        app.UseManagementPort();
        app.UsePrivateResponses();
        app.UseRequestLimits();

        // Swagger's two middlewares test the path of every request they see (the UI with a
        // regular expression); only documentation requests are sent through them. In Production
        // only when Swagger:Enabled says so: the document maps the whole API for an attacker too.
        if (app.Configuration.GetValue<bool?>("Swagger:Enabled") ?? !app.Environment.IsProduction())
        {
            app.UseWhen(
                http => http.Request.Path.StartsWithSegments(SwaggerPath),
                docs => docs
                    .Use((http, next) =>
                    {
                        // The UI may not be framed by another site (clickjacking its Authorize and Execute buttons).
                        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                        http.Response.Headers.XFrameOptions = "DENY";
                        return next(http);
                    })
                    .UseSwagger()
                    .UseSwaggerUI(ui =>
                    {
                        ui.DocumentTitle = "BackendService API";
                        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.SwaggerClientId is { Length: > 0 } clientId)
                        {
                            // A public client: PKCE instead of a secret, which a browser cannot keep.
                            ui.OAuthClientId(clientId);
                            ui.OAuthUsePkce();
                            ui.OAuthScopes([.. Scopes.OwnRecord]);
                        }
                    }));
        }

        app.UseApiSecurity(onceTheCallerIsKnown: secured => secured.UseCallerRateLimits());

        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapControllers();
        return app;
    }

    private static void UseSecurityHeaders(this WebApplication app) =>
        app.Use((http, next) =>
        {
            // Browsers must not guess a content type (an error page read as HTML, say).
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
}
