namespace BackendService.Domain.Users;

/// <summary>
/// The limits of a user's values. The value objects check them, their messages quote them,
/// and the EF columns and the OpenAPI schema read them, so none of those can drift apart.
/// </summary>
public static class UserConstraints
{
    /// <summary>RFC 5321 caps a forward path at 256 octets including the angle brackets.</summary>
    public const int EmailMaxLength = 254;

    public const int NameMinLength = 1;

    public const int NameMaxLength = 200;
}
