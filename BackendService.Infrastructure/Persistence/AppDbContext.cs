using BackendService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    /// <summary>EF's record of applied migrations, in the snake_case of the other tables.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    public DbSet<User> Users => Set<User>();

    /// <summary>How every context is set up, whichever pool it draws from.</summary>
    internal static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) => options
        .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable))
        .UseVersionTriggers()

        // A context serves one request and is used by one operation at a time (the
        // repository awaits each query), so EF's per-query guard against concurrent use,
        // which writes an AsyncLocal on every query, only costs.
        .EnableThreadSafetyChecks(false)

        // EF logs every failed query or save at Error with a stack trace; the exception
        // then reaches the Api, which logs it once with the request's trace id.
        .ConfigureWarnings(warnings => warnings.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug)));

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
}
