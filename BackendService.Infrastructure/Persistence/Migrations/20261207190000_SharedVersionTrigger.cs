using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// One version trigger function for every table (<c>VersionTrigger</c>): the users table's own
    /// function gives way to it. From here on, a migration that creates a table with a version
    /// column attaches the trigger itself. No model snapshot change.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261207190000_SharedVersionTrigger")]
    public partial class SharedVersionTrigger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.version := OLD.version + 1;
                    RETURN NEW;
                END
                $$;
                CREATE OR REPLACE TRIGGER users_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION bump_version();
                DROP FUNCTION users_bump_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION users_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.version := OLD.version + 1;
                    RETURN NEW;
                END
                $$;
                CREATE OR REPLACE TRIGGER users_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_bump_version();
                DROP FUNCTION bump_version();
                """);
        }
    }
}
