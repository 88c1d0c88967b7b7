using BackendService.Api.Http;
using BackendService.Api.Idempotency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BackendService.Api.OpenApi;

/// <summary>
/// The responses an action has because of what it is, not what it does, declared for it as if
/// it had said <c>[ProducesResponseType]</c> itself: 401, 403 and 500 everywhere (401 and 403 not
/// on an anonymous action); 400, 413 and 415 when it reads a body; 400 and 404 when its path
/// names a resource; 400 for a paged list; 304 for a conditional get; 412 for a conditional
/// update; 409 and 422 for an idempotent operation. A status the action declares itself wins.
/// </summary>
internal sealed class StandardResponsesConvention : IActionModelConvention
{
    private const string ProblemJson = "application/problem+json";

    public void Apply(ActionModel action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Controller.Attributes.OfType<ApiControllerAttribute>().Any() is false)
        {
            return;
        }

        var declared = action.Filters.Concat(action.Controller.Filters)
            .OfType<IApiResponseMetadataProvider>()
            .Select(response => response.StatusCode)
            .ToHashSet();
        void Add(int status, Type? type)
        {
            if (declared.Add(status))
            {
                action.Filters.Add(type is null ? new ProducesResponseTypeAttribute(status) : new ProducesResponseTypeAttribute(type, status, ProblemJson));
            }
        }

        var anonymous = action.Attributes.OfType<IAllowAnonymous>().Any() || action.Controller.Attributes.OfType<IAllowAnonymous>().Any();
        var body = action.Parameters.Any(p => p.BindingInfo?.BindingSource == BindingSource.Body);
        var path = action.Parameters.Any(p => p.BindingInfo?.BindingSource == BindingSource.Path);
        bool Is<TAttribute>() => action.Attributes.OfType<TAttribute>().Any();

        if (body || path || Is<PagedListAttribute>())
        {
            Add(StatusCodes.Status400BadRequest, typeof(ValidationProblemDetails));
        }

        if (!anonymous)
        {
            Add(StatusCodes.Status401Unauthorized, typeof(ProblemDetails));
            Add(StatusCodes.Status403Forbidden, typeof(ProblemDetails));
        }

        if (path)
        {
            Add(StatusCodes.Status404NotFound, typeof(ProblemDetails));
        }

        if (Is<IdempotentAttribute>())
        {
            Add(StatusCodes.Status409Conflict, typeof(ProblemDetails));
            Add(StatusCodes.Status422UnprocessableEntity, typeof(ProblemDetails));
        }

        if (Is<ConditionalUpdateAttribute>())
        {
            Add(StatusCodes.Status412PreconditionFailed, typeof(ProblemDetails));
        }

        if (body)
        {
            Add(StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails));
            Add(StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails));
        }

        if (Is<ConditionalGetAttribute>())
        {
            Add(StatusCodes.Status304NotModified, null);
        }

        Add(StatusCodes.Status500InternalServerError, typeof(ProblemDetails));
    }
}
