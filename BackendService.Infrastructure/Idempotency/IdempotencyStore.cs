using BackendService.Application.Idempotency;
using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Idempotency;

/// <summary>
/// Keys in PostgreSQL, so every replica sees them (no in-memory source of truth), and one
/// transaction per claim, so it works through PgBouncer in transaction mode (no session state).
/// </summary>
internal sealed class IdempotencyStore(NpgsqlDataSource dataSource, RequestTransaction requestTransaction, IOptions<IdempotencyOptions> options, TimeProvider clock)
    : IIdempotencyStore
{
    public async Task<IdempotencyLookup> ClaimAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            transaction = await connection.BeginTransactionAsync(cancellationToken);

            // One round trip: a transaction-scoped advisory lock on the key (a second request
            // with it finds the lock taken, in flight, instead of waiting; the lock ends with the
            // transaction), and the stored answer, if any.
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new NpgsqlParameter<string> { TypedValue = $"{key.Scope}\n{key.Value}" } } },
                    new NpgsqlBatchCommand("SELECT fingerprint, status, content_type, location, etag, body FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at > $3")
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<string> { TypedValue = key.Scope },
                            new NpgsqlParameter<string> { TypedValue = key.Value },
                            new NpgsqlParameter<DateTime> { TypedValue = clock.GetUtcNow().UtcDateTime },
                        },
                    },
                },
            };
            StoredResponse? stored;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(0))
                {
                    throw new IdempotentRequestInFlightException();
                }

                await reader.NextResultAsync(cancellationToken);
                stored = await ReadStoredAsync(reader, key, cancellationToken);
            }

            if (stored is not null)
            {
                return new IdempotencyLookup(stored, null);
            }

            requestTransaction.Current = transaction;
            var open = new Claim(connection, transaction, key, requestTransaction, options.Value, clock);
            (connection, transaction) = (null, null);
            return new IdempotencyLookup(null, open);
        }
        catch (Exception ex) when (DatabaseFailure.IsUnavailable(ex))
        {
            throw DatabaseFailure.Unavailable(ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The live response stored for the key; the key reused for another request is refused.</summary>
    private static async Task<StoredResponse?> ReadStoredAsync(NpgsqlDataReader reader, IdempotencyKey key, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        if (!reader.GetFieldValue<byte[]>(0).AsSpan().SequenceEqual(key.Fingerprint))
        {
            throw new IdempotencyKeyReusedException();
        }

        return new StoredResponse(
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<byte[]>(5));
    }

    private sealed class Claim(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IdempotencyKey key,
        RequestTransaction requestTransaction,
        IdempotencyOptions options,
        TimeProvider clock) : IIdempotencyClaim
    {
        public async Task CompleteAsync(StoredResponse response, CancellationToken cancellationToken)
        {
            // A row for the key can only be an expired one here (a live one was found above, under the lock).
            var store = new NpgsqlBatchCommand(
                """
                INSERT INTO idempotency_keys (scope, key, fingerprint, status, content_type, location, etag, body, created_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
                    content_type = excluded.content_type, location = excluded.location, etag = excluded.etag, body = excluded.body,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                """);
            var now = clock.GetUtcNow().UtcDateTime;
            store.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Scope });
            store.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Value });
            store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.Fingerprint });
            store.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
            store.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value, DataTypeName = "text" });
            store.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value, DataTypeName = "text" });
            store.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ETag ?? DBNull.Value, DataTypeName = "text" });
            store.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Body });
            store.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            store.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.AddSeconds(options.KeyLifetimeSeconds) });
            // The stored answer and the COMMIT in one round trip.
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { store, new NpgsqlBatchCommand("COMMIT") } };
            try
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (Exception ex) when (DatabaseFailure.IsUnavailable(ex))
            {
                throw DatabaseFailure.Unavailable(ex);
            }
            finally
            {
                requestTransaction.Current = null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Uncompleted: rolled back, the request's writes with it.
            requestTransaction.Current = null;
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
