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

    /// <summary>One record per identity (issuer and subject, byte-compared); records without one are not limited.</summary>
    public const string IdentityUniqueIndex = "ux_users_identity";

    /// <summary>What the users table's constraints mean to a client.</summary>
    public static readonly TableRefusals Refusals = new TableRefusals()
        .Unique(EmailUniqueIndex, "A user with this email address already exists.")
        .Unique(IdentityUniqueIndex, "You already have a user record: read it at /api/v1/users/me.");

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.IsVersionedTable("users");
        builder.Property(u => u.Email).HasColumnName("email").HasMaxLength(UserConstraints.EmailMaxLength).IsRequired();
        builder.Property(u => u.EmailKey).HasColumnName("email_key").UseCollation("C").IsRequired();
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(UserConstraints.NameMaxLength).IsRequired();
        builder.HasIndex(u => u.EmailKey).IsUnique().HasDatabaseName(EmailUniqueIndex);
        builder.Property(u => u.IdentityIssuer).HasColumnName("identity_issuer").UseCollation("C");
        builder.Property(u => u.IdentitySubject).HasColumnName("identity_subject").UseCollation("C");
        builder.Ignore(u => u.IsBound);
        builder.HasIndex(u => new { u.IdentityIssuer, u.IdentitySubject }).IsUnique().HasDatabaseName(IdentityUniqueIndex);
    }
}
