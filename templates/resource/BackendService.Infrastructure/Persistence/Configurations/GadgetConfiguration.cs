using BackendService.Domain.Gadgets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackendService.Infrastructure.Persistence.Configurations;

internal sealed class GadgetConfiguration : IEntityTypeConfiguration<Gadget>
{
    public const string Table = "gadgets";

    /// <summary>
    /// What the table's constraints mean to a client. None yet: declare them here as you add
    /// them, e.g. <c>.Unique("ux_gadgets_name", "A gadget with this name already exists.")</c>
    /// (409) or <c>.ReferenceMissing("fk_gadgets_owner", "The owner was not found.")</c> (404).
    /// </summary>
    public static readonly TableRefusals Refusals = new();

    public void Configure(EntityTypeBuilder<Gadget> builder)
    {
        // Id, created_at, updated_at, version (and its trigger, from the migration), the keyset index.
        builder.IsVersionedTable(Table);
        builder.Property(g => g.Name).HasColumnName("name").HasMaxLength(GadgetConstraints.NameMaxLength).IsRequired();
    }
}
