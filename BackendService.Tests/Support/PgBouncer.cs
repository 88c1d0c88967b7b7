using System.Globalization;
using Npgsql;

namespace BackendService.Tests.Support;

/// <summary>
/// Debian's PgBouncer on a loopback port in transaction mode, in front of the test
/// PostgreSQL server: each transaction may run on a different server connection, as in
/// production behind PgBouncer. Its files live in .local/pgbouncer-tests.
/// </summary>
internal sealed class PgBouncer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/pgbouncer";

    private readonly BackgroundProcess _process;

    private PgBouncer(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts PgBouncer for <paramref name="server"/>'s host and port; at most <paramref name="serverConnections"/> server connections per database.</summary>
    public static async Task<PgBouncer> StartAsync(NpgsqlConnectionStringBuilder server, int serverConnections)
    {
        var directory = Path.Combine(TestDatabase.RepositoryRoot(), ".local", "pgbouncer-tests");
        Directory.CreateDirectory(directory);
        var port = ExternalProcess.FreeLoopbackPort();

        // trust, as the private test cluster itself; the user must still be listed.
        await File.WriteAllTextAsync(Path.Combine(directory, "userlist.txt"), $"\"{server.Username}\" \"\"\n");
        var ini = Path.Combine(directory, "pgbouncer.ini");
        await File.WriteAllTextAsync(ini, string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            * = host={server.Host} port={server.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {directory}/userlist.txt
            pool_mode = transaction
            default_pool_size = {serverConnections}
            max_client_conn = 500
            ignore_startup_parameters = extra_float_digits
            """));

        return new PgBouncer(await BackgroundProcess.StartServerAsync(Binary, [ini], directory, port), port);
    }

    /// <summary>A connection string for <paramref name="database"/> through PgBouncer.</summary>
    public string ConnectionStringFor(string database, string username) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = username,
        SslMode = SslMode.Disable,
    }.ConnectionString;

    public string Output => _process.Output;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
