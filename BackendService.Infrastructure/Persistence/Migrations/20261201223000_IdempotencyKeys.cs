using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The keys of idempotent creates and the responses they were answered with. Written and
    /// read with SQL by <c>Idempotency/IdempotencyStore</c>, not through the EF model (nothing
    /// else reads it), so this migration has no model snapshot change.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261201223000_IdempotencyKeys")]
    public partial class IdempotencyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE idempotency_keys (
                    scope text COLLATE "C" NOT NULL,
                    key text COLLATE "C" NOT NULL,
                    fingerprint bytea NOT NULL,
                    status integer NOT NULL,
                    content_type text,
                    location text,
                    etag text,
                    body bytea NOT NULL,
                    created_at timestamp with time zone NOT NULL,
                    expires_at timestamp with time zone NOT NULL,
                    CONSTRAINT pk_idempotency_keys PRIMARY KEY (scope, key)
                );
                CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE idempotency_keys;");
        }
    }
}
