namespace BackendService.Api.Http;

// What an action is, declared on it: the OpenAPI document (OpenApi/HttpContractOperationFilter)
// and the standard responses (OpenApi/StandardResponsesConvention) read these, never an action's
// name. An idempotent create says [Idempotent] (Idempotency/IdempotencyFilter).

/// <summary>A cursor-paged list: <c>limit</c> and <c>cursor</c> in the query, the next page in <c>Link</c> (<see cref="ResourceResults.PagedWithLink"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PagedListAttribute : Attribute;

/// <summary>A read that answers <c>ETag</c> and honours <c>If-None-Match</c> with 304 (<see cref="ResourceResults.OkOrNotModified"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConditionalGetAttribute : Attribute;

/// <summary>A write that honours <c>If-Match</c> (412 when the version changed) and answers the new <c>ETag</c> (<see cref="ResourceResults.OkWithETag"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConditionalUpdateAttribute : Attribute;
