using BackendService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackendService.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    /// <summary>
    /// Case-insensitive uniqueness lives in the database (a unique index on lower(email)),
    /// created by raw SQL in the migration because EF cannot model expression indexes.
    /// </summary>
    public const string EmailUniqueIndex = "ux_users_email_lower";

    public const string KeysetIndex = "ix_users_created_at_id";

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id).HasName("pk_users");

        builder.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(u => u.Email).HasColumnName("email").HasMaxLength(UserConstraints.EmailMaxLength).IsRequired();
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(UserConstraints.NameMaxLength).IsRequired();
        builder.Property(u => u.CreatedAt).HasColumnName("created_at").IsRequired();
        builder.Property(u => u.UpdatedAt).HasColumnName("updated_at").IsRequired();

        // A uint row version maps to PostgreSQL's xmin system column: no extra column, and
        // it changes on every UPDATE, which is what the ETag and If-Match need.
        builder.Property(u => u.Version).IsRowVersion();

        // Serves the listing order (created_at desc, id desc) and its keyset predicate.
        builder.HasIndex(u => new { u.CreatedAt, u.Id })
            .HasDatabaseName(KeysetIndex)
            .IsDescending(true, true);
    }
}
