using BackendService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackendService.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    /// <summary>
    /// One account per email key (<see cref="EmailAddress.Key"/>, computed in C#). The key
    /// column compares byte by byte (collation "C"), so uniqueness does not depend on the
    /// cluster's locale or ICU version. A 23505 on this index is answered 409.
    /// </summary>
    public const string EmailUniqueIndex = "ux_users_email_key";

    public const string KeysetIndex = "ix_users_created_at_id";

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id).HasName("pk_users");

        builder.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(u => u.Email).HasColumnName("email").HasMaxLength(UserConstraints.EmailMaxLength).IsRequired();
        builder.Property(u => u.EmailKey).HasColumnName("email_key").UseCollation("C").IsRequired();
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(UserConstraints.NameMaxLength).IsRequired();
        builder.Property(u => u.CreatedAt).HasColumnName("created_at").IsRequired();
        builder.Property(u => u.UpdatedAt).HasColumnName("updated_at").IsRequired();

        // Bumped by the users_version trigger on every UPDATE (docs/decisions/005-etag-from-a-version-column.md).
        builder.Property(u => u.Version).HasColumnName("version").IsRequired();

        builder.HasIndex(u => u.EmailKey).IsUnique().HasDatabaseName(EmailUniqueIndex);

        // Serves the listing order (created_at desc, id desc) and its keyset predicate.
        builder.HasIndex(u => new { u.CreatedAt, u.Id })
            .HasDatabaseName(KeysetIndex)
            .IsDescending(true, true);
    }
}
