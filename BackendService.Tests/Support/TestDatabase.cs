using System.Diagnostics;
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
    private static readonly Lazy<NpgsqlConnectionStringBuilder> Server = new(LocateServer);

    /// <summary>Drops and recreates <paramref name="name"/>; returns its connection string.</summary>
    public static async Task<string> CreateFreshAsync(string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(Server.Value.ConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Server.Value.ConnectionString) { Database = name }.ConnectionString;
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

    private static NpgsqlConnectionStringBuilder LocateServer()
    {
        var url = Environment.GetEnvironmentVariable("TEST_DATABASE_URL")
            ?? Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? StartLocalCluster();
        return DatabaseConnectionString.Parse(url);
    }

    private static string StartLocalCluster()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", "db.sh"), "start"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run scripts/db.sh");
        var url = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && url.Length > 0
            ? url
            : throw new InvalidOperationException($"scripts/db.sh start failed with exit code {process.ExitCode}");
    }
}
