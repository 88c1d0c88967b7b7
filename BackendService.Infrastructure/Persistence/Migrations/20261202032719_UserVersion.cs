using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The user's version becomes a column the database bumps on every update (a trigger), in
    /// place of <c>xmin</c>: a create then knows its ETag before the insert runs
    /// (docs/decisions/005-etag-from-a-version-column.md). Existing rows start at 1, so their
    /// ETags change once and clients holding an old one are refused (412) and refetch. The
    /// default stays for replicas of the previous release during a rolling update, whose inserts
    /// do not name the column; the trigger bumps their updates too.
    /// </summary>
    public partial class UserVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 1;
                CREATE FUNCTION users_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.version := OLD.version + 1;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER users_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_bump_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER users_version ON users;
                DROP FUNCTION users_bump_version();
                ALTER TABLE users DROP COLUMN version;
                """);
        }
    }
}
