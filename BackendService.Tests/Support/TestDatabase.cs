using BackendService.Infrastructure.Persistence;
using Npgsql;

namespace BackendService.Tests.Support;

/// <summary>
/// Finds the PostgreSQL server the tests run against and makes fresh databases on it.
/// The server comes from TEST_DATABASE_URL or DATABASE_URL; when neither is set the private
/// local cluster is started with scripts/db.sh, so a bare <c>dotnet test</c> works too.
/// </summary>
internal static class TestDatabase
{
    private static readonly Lazy<Task<NpgsqlConnectionStringBuilder>> Server = new(LocateServerAsync);

    /// <summary>Drops and recreates <paramref name="name"/> (with <paramref name="options"/>, SQL after CREATE DATABASE); returns its connection string.</summary>
    public static async Task<string> CreateFreshAsync(string name, string options = "")
    {
        var server = await Server.Value;
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" {options}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Runs a statement on its own connection.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row, as a number (counts, mostly).</summary>
    public static async Task<long> ScalarAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> ListAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>
    /// Opens a connection holding an exclusive lock on <c>users</c> in an open transaction, so the
    /// service's statements on that table wait; disposing the connection releases it.
    /// </summary>
    public static async Task<NpgsqlConnection> LockUsersTableAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE;", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BackendService.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("BackendService.sln not found above the test binaries.");
    }

    private static async Task<NpgsqlConnectionStringBuilder> LocateServerAsync()
    {
        var url = Environment.GetEnvironmentVariable("TEST_DATABASE_URL")
            ?? Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? await StartLocalClusterAsync();
        return DatabaseConnectionString.Parse(url);
    }

    private static async Task<string> StartLocalClusterAsync()
    {
        var result = await ExternalProcess.RunAsync("bash", [Path.Combine(RepositoryRoot(), "scripts", "db.sh"), "start"]);
        var url = result.Output.Trim();
        return result.ExitCode == 0 && url.Length > 0
            ? url
            : throw new InvalidOperationException($"scripts/db.sh start failed with exit code {result.ExitCode}: {result.Error}");
    }
}
