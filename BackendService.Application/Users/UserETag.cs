using System.Globalization;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

/// <summary>The strong entity tag of a user: its row version, which changes on every write.</summary>
internal static class UserETag
{
    public const string Any = "*";

    public static string For(User user) => string.Create(CultureInfo.InvariantCulture, $"\"{user.Version}\"");

    /// <summary>RFC 9110 If-Match: <c>*</c> matches any current representation, otherwise a strong tag must be listed.</summary>
    public static bool Matches(IReadOnlyCollection<string> ifMatch, User user)
    {
        var current = For(user);
        return ifMatch.Any(tag => tag == Any || tag == current);
    }
}
