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
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString).UseLoggerFactory(loggers);
        builder.Name = "backendservice-standby-reads";
        _dataSource = builder.Build();
        _contexts = new PooledDbContextFactory<AppDbContext>(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(_dataSource)
            .EnableThreadSafetyChecks(false)
            .Options);
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
