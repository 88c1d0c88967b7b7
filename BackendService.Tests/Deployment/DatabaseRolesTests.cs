using System.Net;
using BackendService.Infrastructure;
using BackendService.Tests.Support;
using BackendService.Tests.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackendService.Tests.Deployment;

/// <summary>
/// deploy/sql/roles.sql on the private cluster: the schema owner migrates, the application role
/// the pods use reads and writes rows through the API, and cannot change the schema.
/// </summary>
public sealed class DatabaseRolesTests
{
    [Test]
    public async Task AppRole_CanUseTheRows_ButNotCreateAlterOrDrop()
    {
        var superuser = await TestDatabase.CreateFreshAsync("backendservice_tests_roles");
        await ApplyRolesScriptAsync(superuser);
        await ApplyRolesScriptAsync(superuser); // idempotent: a second run must not fail
        var owner = As(superuser, "backendservice_owner");
        var app = As(superuser, "backendservice_app");

        await using (var migrator = new ServiceCollection().AddLogging()
            .AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = owner, ["Database:MinPoolSize"] = "0" }).Build())
            .BuildServiceProvider())
        {
            await migrator.MigrateDatabaseAsync(CancellationToken.None);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await SqlStateAsync(app, "CREATE TABLE intruder (id int)"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
            Assert.That(await SqlStateAsync(app, "ALTER TABLE users ADD COLUMN intruder int"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
            Assert.That(await SqlStateAsync(app, "DROP TABLE users"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
            Assert.That(await SqlStateAsync(app, "TRUNCATE users"), Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
            Assert.That(await SqlStateAsync(app, "SELECT count(*) FROM users"), Is.Null);
        }

        // The service as the pods run it: the app role, migrations left to the Job.
        await using var factory = new ApiFactory(app, new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        using var client = factory.CreateClient();
        using var created = await new UsersApi(client).CreateAsync(new { email = "least@privilege.io", name = "Least Privilege" });
        using var ready = await client.GetAsync("/health/ready");
        Assert.That((created.StatusCode, ready.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK)));
        using var deleted = await client.DeleteAsync(created.Headers.Location);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    private static async Task ApplyRolesScriptAsync(string connectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var result = await ExternalProcess.RunAsync("psql", [
            "-X", "-q", "-h", server.Host!, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", server.Username!, "-d", server.Database!,
            "-v", "owner_password=owner-secret", "-v", "app_password=app-secret",
            "-f", Path.Combine(TestDatabase.RepositoryRoot(), "deploy", "sql", "roles.sql")]);
        Assert.That(result.ExitCode, Is.Zero, result.AllOutput);
    }

    // The private cluster trusts loopback (no password check), but privileges follow the role.
    private static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = null, Pooling = false }.ConnectionString;

    private static async Task<string?> SqlStateAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
