namespace BackendService.Domain.Entities;

/// <summary>
/// What every stored resource has: a time-ordered id, when it was created and last changed
/// (<see cref="StoredTime"/>), and a version that backs its ETag and optimistic concurrency.
/// The version is <see cref="FirstVersion"/> when created and the database adds one on every
/// update (a trigger), so a create knows its ETag before its insert runs.
/// </summary>
public abstract class VersionedEntity
{
    public const long FirstVersion = 1;

    protected VersionedEntity(Guid id, DateTime createdAt)
    {
        Id = id;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public long Version { get; private set; } = FirstVersion;

    /// <summary>Records the version the database gave the row on an update: only the store knows it.</summary>
    public void RecordStoredVersion(long version) => Version = version;

    /// <summary>A new id: version 7 GUIDs are time-ordered, which keeps the primary key index append-mostly.</summary>
    protected static Guid NewId(DateTimeOffset now) => Guid.CreateVersion7(now);

    /// <summary>Marks a change at <paramref name="now"/>: updatedAt advances on every update.</summary>
    protected void Touch(DateTimeOffset now) => UpdatedAt = StoredTime.After(UpdatedAt, now);
}
