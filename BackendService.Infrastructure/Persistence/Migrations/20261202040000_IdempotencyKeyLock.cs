using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackendService.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Takes the transaction-scoped lock of an idempotency key or raises. The statement that
    /// stores a key calls it first (<c>Idempotency/IdempotencyStore</c>), so a second request with
    /// the key, while the first is in the database, stops there (409) instead of waiting on its rows.
    /// An error is what stops the rest of a batch; <c>pg_try_advisory_xact_lock</c> alone only
    /// returns false. IK001 is our own SQLSTATE (PostgreSQL's classes never use "IK"), so the
    /// store cannot mistake it for another failure. No model snapshot change.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261202040000_IdempotencyKeyLock")]
    public partial class IdempotencyKeyLock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION idempotency_key_lock(key_hash bigint) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(key_hash) THEN
                        RAISE EXCEPTION 'a request with this idempotency key is in flight' USING ERRCODE = 'IK001';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION idempotency_key_lock(bigint);");
        }
    }
}
