namespace BackendService.Api.Http;

internal static class ConditionalRequestExtensions
{
    /// <summary>
    /// True when If-None-Match names the current entity tag (or is <c>*</c>): the client's copy is
    /// current and a 304 without a body will do. If-None-Match compares weakly (RFC 9110 §13.1.2).
    /// </summary>
    public static bool IsNotModified(this HttpRequest request, string currentETag)
    {
        if (request.Headers.IfNoneMatch.Count == 0)
        {
            return false;
        }

        var current = Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(currentETag);
        return request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Tag == "*" || tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The strong entity tags of the If-Match header, <c>*</c> included; null when the header is
    /// absent. Weak tags never match under If-Match's strong comparison (RFC 9110 §13.1.1), and an
    /// unparsable header matches nothing, so both leave tags that fail the precondition.
    /// </summary>
    public static IReadOnlyCollection<string>? IfMatchTags(this HttpRequest request)
    {
        if (request.Headers.IfMatch.Count == 0)
        {
            return null;
        }

        return request.GetTypedHeaders().IfMatch
            .Where(tag => !tag.IsWeak)
            .Select(tag => tag.Tag.Value ?? string.Empty)
            .ToList();
    }
}
