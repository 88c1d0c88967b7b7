using System.Globalization;
using BackendService.Domain.Entities;

namespace BackendService.Application.Versioning;

/// <summary>The strong entity tag of a stored resource: its version, which changes on every write.</summary>
public static class EntityTag
{
    public const string Any = "*";

    public static string For(VersionedEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return string.Create(CultureInfo.InvariantCulture, $"\"{entity.Version}\"");
    }

    /// <summary>RFC 9110 If-Match: <c>*</c> matches any current representation, otherwise a strong tag must be listed.</summary>
    public static bool Matches(IReadOnlyCollection<string> ifMatch, VersionedEntity entity)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        var current = For(entity);
        return ifMatch.Any(tag => tag == Any || tag == current);
    }
}
