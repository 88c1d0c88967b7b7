using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// The transaction a request's writes join when it has one (an idempotent create: the insert
/// and the stored response commit together). Scoped to the request; empty otherwise, and each
/// write then runs on its own pooled connection.
/// </summary>
internal sealed class RequestTransaction
{
    public NpgsqlTransaction? Current { get; set; }

    public NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, string sql) =>
        Current is { } transaction ? new NpgsqlCommand(sql, transaction.Connection, transaction) : dataSource.CreateCommand(sql);
}
