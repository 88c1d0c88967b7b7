namespace BackendService.Domain.Users;

/// <summary>
/// Length limits shared by the entity, the request validator and the column definitions,
/// so that the 400 response and the database schema can never drift apart.
/// </summary>
public static class UserConstraints
{
    /// <summary>RFC 5321 caps a forward path at 256 octets including the angle brackets.</summary>
    public const int EmailMaxLength = 254;

    public const int NameMinLength = 1;

    public const int NameMaxLength = 200;
}
