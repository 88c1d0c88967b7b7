using BackendService.Domain.Entities;

namespace BackendService.Domain.Gadgets;

/// <summary>
/// A gadget. Its values can only be set from value objects that own their rules
/// (<see cref="GadgetName"/>), so whatever path creates or changes one, the stored values
/// follow those rules. Id, timestamps and version come from <see cref="VersionedEntity"/>.
/// </summary>
public sealed class Gadget : VersionedEntity
{
    // For EF Core, which materialises stored rows through this constructor.
    private Gadget(Guid id, string name, DateTime createdAt)
        : base(id, createdAt)
    {
        Name = name;
    }

    public string Name { get; private set; }

    public static Gadget Create(GadgetName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new Gadget(NewId(now), name.Value, StoredTime.From(now));
    }

    public void Update(GadgetName name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name.Value;
        Touch(now);
    }
}
