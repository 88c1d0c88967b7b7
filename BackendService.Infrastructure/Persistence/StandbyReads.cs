using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// Contexts on a standby for the reads that may lag (<c>Database:ListFromStandbys</c>): the same
/// model and compiled queries as <see cref="AppDbContext"/>, on a data source of its own whose
/// connections prefer a standby. Null contexts when the setting is off.
/// </summary>
internal sealed class StandbyReads : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;
    private readonly PooledDbContextFactory<AppDbContext>? _contexts;

    public StandbyReads(IOptions<DatabaseOptions> options, ILoggerFactory loggers)
    {
        if (!options.Value.ListFromStandbys)
        {
            return;
        }

        var connection = DatabaseConnectionString.Build(options.Value);
        connection.TargetSessionAttributes = "prefer-standby";
        _dataSource = PooledDataSource.Build(connection, "backendservice-standby-reads", loggers);
        var contextOptions = new DbContextOptionsBuilder<AppDbContext>();
        AppDbContext.Configure(contextOptions, _dataSource);
        _contexts = new PooledDbContextFactory<AppDbContext>(contextOptions.Options);
    }

    /// <summary>A context on a standby, or null when lists read the primary.</summary>
    public AppDbContext? CreateContext() => _contexts?.CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
