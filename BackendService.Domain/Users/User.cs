using BackendService.Domain.Entities;

namespace BackendService.Domain.Users;

/// <summary>
/// A user account. Its email and name can only be set from <see cref="EmailAddress"/> and
/// <see cref="UserName"/>, which own every rule of their value, so whatever path creates or
/// changes a user, the stored values follow those rules.
/// </summary>
public sealed class User : VersionedEntity
{
    // For EF Core, which materialises stored rows through this constructor.
    private User(Guid id, string email, string emailKey, string name, DateTime createdAt)
        : base(id, createdAt)
    {
        Email = email;
        EmailKey = emailKey;
        Name = name;
    }

    /// <summary>The address as the user wrote it (<see cref="EmailAddress.Value"/>).</summary>
    public string Email { get; private set; }

    /// <summary>The form addresses are compared in (<see cref="EmailAddress.Key"/>); unique across users.</summary>
    public string EmailKey { get; private set; }

    public string Name { get; private set; }

    /// <summary>The issuer of the identity this record belongs to (<see cref="UserIdentity"/>); null for a record an administrator or a service made.</summary>
    public string? IdentityIssuer { get; private set; }

    /// <summary>The subject of that identity; null with <see cref="IdentityIssuer"/>.</summary>
    public string? IdentitySubject { get; private set; }

    public bool IsBound => IdentitySubject is not null;

    public static User Create(EmailAddress email, UserName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(name);
        return new User(NewId(now), email.Value, email.Key, name.Value, StoredTime.From(now));
    }

    /// <summary>A record a person makes for themself, bound to their identity for good.</summary>
    public static User CreateFor(UserIdentity identity, EmailAddress email, UserName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var user = Create(email, name, now);
        user.IdentityIssuer = identity.Issuer;
        user.IdentitySubject = identity.Subject;
        return user;
    }

    public void Update(EmailAddress email, UserName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(name);
        Email = email.Value;
        EmailKey = email.Key;
        Name = name.Value;
        Touch(now);
    }
}
