using Microsoft.Extensions.Logging;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>A connection pool with the app's logging, named for metrics.</summary>
internal static class PooledDataSource
{
    /// <summary>The pool for <paramref name="connection"/>, logging to <paramref name="loggers"/>, labelled <paramref name="name"/> in metrics (otherwise Npgsql labels it with the connection string).</summary>
    public static NpgsqlDataSource Build(NpgsqlConnectionStringBuilder connection, string name, ILoggerFactory loggers)
    {
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString).UseLoggerFactory(loggers);
        builder.Name = name;
        return builder.Build();
    }
}
