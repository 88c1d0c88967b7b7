using BackendService.Application.Idempotency;
using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Idempotency;

/// <summary>
/// Keys in PostgreSQL, so every replica sees them (no in-memory source of truth). A keyed
/// request's writes and its answer go in one batch, which PostgreSQL runs as one implicit
/// transaction: one round trip, no session state (a pooler in transaction mode), and the key
/// and the writes commit together or not at all. The key's row is the arbiter: a second request
/// with the key fails on its primary key and reads the first one's answer instead.
/// </summary>
internal sealed class IdempotencyStore(NpgsqlDataSource dataSource, HeldWrites heldWrites, IOptions<IdempotencyOptions> options, TimeProvider clock)
    : IIdempotencyStore
{
    // Another request with the key may commit, or roll back, between our attempts; past this
    // many the key is treated as in flight (409, retry shortly) rather than looping.
    private const int Attempts = 3;

    /// <summary>Raised by <c>idempotency_key_lock</c> (migration IdempotencyKeyLock) when another request holds the key.</summary>
    private const string KeyInFlightSqlState = "IK001";

    private const string KeyPrimaryKey = "pk_idempotency_keys";

    public IIdempotencyClaim Claim(IdempotencyKey key)
    {
        heldWrites.Start();
        return new OpenClaim(this, key, heldWrites);
    }

    private async Task<ClaimCompletion> CompleteAsync(IdempotencyKey key, StoredResponse response, CancellationToken cancellationToken)
    {
        var replaceExpired = false;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var batch = dataSource.CreateBatch();
            if (replaceExpired)
            {
                batch.BatchCommands.Add(DeleteExpiredCommand(key, now));
            }

            batch.BatchCommands.Add(StoreCommand(key, response, now, options.Value.KeyLifetimeSeconds));
            foreach (var write in heldWrites.Held)
            {
                batch.BatchCommands.Add(write.Command);
            }

            try
            {
                await DatabaseFailure.TranslateAsync(() => batch.ExecuteNonQueryAsync(cancellationToken));
                return ClaimCompletion.Stored;
            }
            catch (PostgresException ex) when (ex.SqlState == KeyInFlightSqlState)
            {
                throw new IdempotentRequestInFlightException();
            }
            catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: KeyPrimaryKey })
            {
                // The key has a row: another request's answer, live or expired.
                var earlier = await DatabaseFailure.TranslateAsync(() => ReadAnswerAsync(key, cancellationToken));
                if (earlier is { Live: true })
                {
                    return earlier.Fingerprint.AsSpan().SequenceEqual(key.Fingerprint)
                        ? new ClaimCompletion(earlier.Response, null)
                        : throw new IdempotencyKeyReusedException();
                }

                replaceExpired = earlier is not null;
            }
            catch (PostgresException ex) when (heldWrites.Held.Select(w => w.Refusal(ex)).FirstOrDefault(r => r is not null) is { } refusal)
            {
                // Completed next with the refusal's answer, which has no writes to send.
                heldWrites.Stop();
                return new ClaimCompletion(null, refusal);
            }
        }

        throw new IdempotentRequestInFlightException();
    }

    private static NpgsqlBatchCommand DeleteExpiredCommand(IdempotencyKey key, DateTime now) =>
        new("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at <= $3")
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = key.Scope },
                new NpgsqlParameter<string> { TypedValue = key.Value },
                new NpgsqlParameter<DateTime> { TypedValue = now },
            },
        };

    /// <summary>
    /// The key's row, after its lock: <c>idempotency_key_lock</c> raises when another request
    /// holds the key (in the database now), which stops the batch before anything is written.
    /// </summary>
    private static NpgsqlBatchCommand StoreCommand(IdempotencyKey key, StoredResponse response, DateTime now, int lifetimeSeconds) =>
        new("""
            INSERT INTO idempotency_keys (scope, key, fingerprint, status, content_type, location, etag, body, created_at, expires_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM idempotency_key_lock(hashtextextended($1 || E'\n' || $2, 0))
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = key.Scope },
                new NpgsqlParameter<string> { TypedValue = key.Value },
                new NpgsqlParameter<byte[]> { TypedValue = key.Fingerprint },
                new NpgsqlParameter<int> { TypedValue = response.Status },
                new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value, DataTypeName = "text" },
                new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value, DataTypeName = "text" },
                new NpgsqlParameter { Value = (object?)response.ETag ?? DBNull.Value, DataTypeName = "text" },
                new NpgsqlParameter<byte[]> { TypedValue = response.Body },
                new NpgsqlParameter<DateTime> { TypedValue = now },
                new NpgsqlParameter<DateTime> { TypedValue = now.AddSeconds(lifetimeSeconds) },
            },
        };

    /// <summary>The answer stored for the key, if any, and whether it is still live.</summary>
    private async Task<EarlierAnswer?> ReadAnswerAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT fingerprint, status, content_type, location, etag, body, expires_at > $3 FROM idempotency_keys WHERE scope = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Scope });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = clock.GetUtcNow().UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var response = new StoredResponse(
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<byte[]>(5));
        return new EarlierAnswer(reader.GetFieldValue<byte[]>(0), response, reader.GetBoolean(6));
    }

    private sealed record EarlierAnswer(byte[] Fingerprint, StoredResponse Response, bool Live);

    private sealed class OpenClaim(IdempotencyStore store, IdempotencyKey key, HeldWrites heldWrites) : IIdempotencyClaim
    {
        public Task<ClaimCompletion> CompleteAsync(StoredResponse response, CancellationToken cancellationToken) =>
            store.CompleteAsync(key, response, cancellationToken);

        public ValueTask DisposeAsync()
        {
            // Uncompleted (an unhandled exception, a 5xx): the held writes are dropped, never sent.
            heldWrites.Stop();
            return ValueTask.CompletedTask;
        }
    }
}
