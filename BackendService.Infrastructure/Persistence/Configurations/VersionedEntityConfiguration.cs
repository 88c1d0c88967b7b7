using BackendService.Domain.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackendService.Infrastructure.Persistence.Configurations;

/// <summary>The columns every <see cref="VersionedEntity"/> table has, mapped one way for all.</summary>
internal static class VersionedEntityConfiguration
{
    /// <summary>
    /// The version column's name. Every table that has it gets the shared version trigger from its
    /// migration (<see cref="VersionTrigger"/>): without it a stale If-Match would still match.
    /// </summary>
    public const string VersionColumn = "version";

    /// <summary>Maps id, created_at, updated_at and version to the table <paramref name="table"/>, with its primary key and keyset index.</summary>
    public static EntityTypeBuilder<TEntity> IsVersionedTable<TEntity>(this EntityTypeBuilder<TEntity> builder, string table)
        where TEntity : VersionedEntity
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable(table);
        builder.HasKey(e => e.Id).HasName($"pk_{table}");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsRequired();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsRequired();

        // Bumped by the database on every UPDATE (docs/decisions/005-etag-from-a-version-column.md).
        builder.Property(e => e.Version).HasColumnName(VersionColumn).IsRequired();

        // Serves the listing order (created_at desc, id desc) and its keyset predicate.
        builder.HasIndex(e => new { e.CreatedAt, e.Id })
            .HasDatabaseName(KeysetIndexOf(table))
            .IsDescending(true, true);
        return builder;
    }

    public static string KeysetIndexOf(string table) => $"ix_{table}_created_at_id";
}
