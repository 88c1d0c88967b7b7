namespace BackendService.Domain.Users;

/// <summary>
/// A user account. Its email and name can only be set from <see cref="EmailAddress"/> and
/// <see cref="UserName"/>, which own every rule of their value, so whatever path creates or
/// changes a user, the stored values follow those rules. Timestamps are UTC with the
/// microsecond precision PostgreSQL stores (so what we return on create is exactly what a
/// later read returns, and keyset cursors compare equal to the stored value).
/// </summary>
public sealed class User
{
    // For EF Core, which materialises stored rows through this constructor.
    private User(Guid id, string email, string emailKey, string name, DateTime createdAt)
    {
        Id = id;
        Email = email;
        EmailKey = emailKey;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The address as the user wrote it (<see cref="EmailAddress.Value"/>).</summary>
    public string Email { get; private set; }

    /// <summary>The form addresses are compared in (<see cref="EmailAddress.Key"/>); unique across users.</summary>
    public string EmailKey { get; private set; }

    public string Name { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>
    /// 1 when created; the database adds one on every update. Backs the ETag and optimistic
    /// concurrency. Known before the insert runs, so a create's response needs nothing back from
    /// the database.
    /// </summary>
    public long Version { get; private set; } = FirstVersion;

    public const long FirstVersion = 1;

    public static User Create(EmailAddress email, UserName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(name);
        var createdAt = ToStoredPrecision(now);

        // Version 7 GUIDs are time-ordered, which keeps the primary key index append-mostly.
        return new User(Guid.CreateVersion7(now), email.Value, email.Key, name.Value, createdAt);
    }

    public void Update(EmailAddress email, UserName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(name);
        Email = email.Value;
        EmailKey = email.Key;
        Name = name.Value;

        // updatedAt must advance on every update, even when the clock did not (or went back).
        var updatedAt = ToStoredPrecision(now);
        UpdatedAt = updatedAt > UpdatedAt ? updatedAt : UpdatedAt.AddTicks(TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Records the version the database gave the row on an update: only the store knows it.</summary>
    public void RecordStoredVersion(long version) => Version = version;

    private static DateTime ToStoredPrecision(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
    }
}
