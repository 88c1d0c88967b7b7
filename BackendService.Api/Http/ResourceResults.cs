using BackendService.Application.Paging;
using BackendService.Application.Versioning;
using Microsoft.AspNetCore.Mvc;

namespace BackendService.Api.Http;

/// <summary>The answers a resource's actions give, each with its headers: one way to write each.</summary>
public static class ResourceResults
{
    /// <summary>201 with the resource, <c>Location</c> from the action that reads it (route value <c>id</c>) and <c>ETag</c>.</summary>
    public static CreatedResult CreatedWithETag<T>(this ControllerBase controller, string getAction, Guid id, Versioned<T> created)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(created);
        controller.Response.Headers.ETag = created.ETag;
        return controller.Created(controller.Url.Action(getAction, new { id }), created.Value);
    }

    /// <summary>201 with the resource, <c>Location</c> from the action that reads it (no route values: a resource like <c>/me</c>) and <c>ETag</c>.</summary>
    public static CreatedResult CreatedWithETag<T>(this ControllerBase controller, string getAction, Versioned<T> created)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(created);
        controller.Response.Headers.ETag = created.ETag;
        return controller.Created(controller.Url.Action(getAction), created.Value);
    }

    /// <summary>200 with the resource and its <c>ETag</c>.</summary>
    public static ActionResult<T> OkWithETag<T>(this ControllerBase controller, Versioned<T> found)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(found);
        controller.Response.Headers.ETag = found.ETag;
        return found.Value;
    }

    /// <summary>As <see cref="OkWithETag"/>, or 304 without a body when <c>If-None-Match</c> names the current version.</summary>
    public static ActionResult<T> OkOrNotModified<T>(this ControllerBase controller, Versioned<T> found)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(found);
        return controller.Request.IsNotModified(found.ETag) ? controller.NotModified(found.ETag) : controller.OkWithETag(found);
    }

    /// <summary>304 Not Modified with the current <c>ETag</c> and no body.</summary>
    public static StatusCodeResult NotModified(this ControllerBase controller, string currentETag)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.Response.Headers.ETag = currentETag;
        return controller.StatusCode(StatusCodes.Status304NotModified);
    }

    /// <summary>200 with the page's items; <c>Link</c> to the next page (this action, same limit, the next cursor) unless it is the last.</summary>
    public static ActionResult<IReadOnlyList<T>> PagedWithLink<T>(this ControllerBase controller, Page<T> page, object? routeValues = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(page);
        if (page.NextCursor is not null)
        {
            var values = new RouteValueDictionary(routeValues) { ["limit"] = page.Limit, ["cursor"] = page.NextCursor };
            controller.Response.Headers.Link = $"<{controller.Url.Action(null, values)}>; rel=\"next\"";
        }

        return controller.Ok(page.Items);
    }
}
