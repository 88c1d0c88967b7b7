using BackendService.Domain.Errors;

namespace BackendService.Domain.Users;

/// <summary>
/// A user account. The entity guards its own invariants: whatever path creates or changes
/// a user, the stored email and name are trimmed and within limits, and the timestamps are
/// UTC with the microsecond precision PostgreSQL stores (so what we return on create is
/// exactly what a later read returns, and keyset cursors compare equal to the stored value).
/// </summary>
public sealed class User
{
    private User(Guid id, string email, string name, DateTime createdAt)
    {
        Id = id;
        Email = email;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The address as the user typed it, trimmed. Compare with <see cref="NormalizeEmail"/>.</summary>
    public string Email { get; private set; }

    public string Name { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>Changes on every write; backs the ETag and optimistic concurrency.</summary>
    public uint Version { get; private set; }

    public static User Create(string email, string name, DateTimeOffset now)
    {
        var createdAt = ToStoredPrecision(now);

        // Version 7 GUIDs are time-ordered, which keeps the primary key index append-mostly.
        return new User(Guid.CreateVersion7(now), GuardEmail(email), GuardName(name), createdAt);
    }

    public void Update(string email, string name, DateTimeOffset now)
    {
        Email = GuardEmail(email);
        Name = GuardName(name);

        // updatedAt must advance on every update, even when the clock did not (or went back).
        var updatedAt = ToStoredPrecision(now);
        UpdatedAt = updatedAt > UpdatedAt ? updatedAt : UpdatedAt.AddTicks(TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Records the version the database gave the row on a write: only the store knows it.</summary>
    public void RecordStoredVersion(uint version) => Version = version;

    /// <summary>The form in which two addresses are compared: `Ann@X.io` and `ann@x.io` are one account.</summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    private static DateTime ToStoredPrecision(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
    }

    private static string GuardEmail(string email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > UserConstraints.EmailMaxLength || !trimmed.Contains('@', StringComparison.Ordinal))
        {
            throw new ValidationException("email", "Email must be a valid address of at most 254 characters.");
        }

        return trimmed;
    }

    private static string GuardName(string name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > UserConstraints.NameMaxLength)
        {
            throw new ValidationException("name", "Name must be 1 to 200 characters.");
        }

        return trimmed;
    }
}
