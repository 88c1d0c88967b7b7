using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EmailKey : Migration
    {
        /// <summary>
        /// Uniqueness moves from <c>lower(email)</c>, whose answer depends on the cluster's
        /// locale, to <c>email_key</c>, computed by the service (EmailAddress.Key) and compared
        /// byte by byte. Existing rows get their key here, in SQL: exactly the service's key for
        /// every all-ASCII address (NFC and IDNA leave ASCII as it is, and ASCII letters are
        /// lower-cased); for other addresses NFC and ASCII lower-casing only, until the user's
        /// next update writes the service's key. Rows whose keys now collide (the same address in
        /// NFC and NFD, which lower(email) told apart) are kept, never deleted: the oldest keeps the
        /// key, each later one gets its key plus " duplicate of an older account " plus its id (a
        /// space is never in a real key), and a WARNING says how many; such a user can no longer
        /// save that address until the older account changes or goes.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "email_key",
                table: "users",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.Sql("""
                UPDATE users
                SET email_key = translate(normalize(email, NFC), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
                """);

            migrationBuilder.Sql("""
                DO $$
                DECLARE collided bigint;
                BEGIN
                    WITH ranked AS (
                        SELECT id, row_number() OVER (PARTITION BY email_key ORDER BY created_at, id) AS position
                        FROM users)
                    UPDATE users
                    SET email_key = users.email_key || ' duplicate of an older account ' || users.id
                    FROM ranked
                    WHERE ranked.id = users.id AND ranked.position > 1;
                    GET DIAGNOSTICS collided = ROW_COUNT;
                    IF collided > 0 THEN
                        RAISE WARNING '% user(s) share an email key with an older account; their email_key says "duplicate of an older account"', collided;
                    END IF;
                END $$;
                """);

            migrationBuilder.AlterColumn<string>(
                name: "email_key",
                table: "users",
                type: "text",
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true,
                oldCollation: "C");

            migrationBuilder.CreateIndex(
                name: "ux_users_email_key",
                table: "users",
                column: "email_key",
                unique: true);

            migrationBuilder.Sql("DROP INDEX ux_users_email_lower;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_users_email_lower ON users (lower(email));");

            migrationBuilder.DropIndex(
                name: "ux_users_email_key",
                table: "users");

            migrationBuilder.DropColumn(
                name: "email_key",
                table: "users");
        }
    }
}
