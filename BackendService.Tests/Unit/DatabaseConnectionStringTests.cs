using BackendService.Infrastructure.Persistence;

namespace BackendService.Tests.Unit;

public sealed class DatabaseConnectionStringTests
{
    [Test]
    public void ParsesUrlForm()
    {
        var builder = DatabaseConnectionString.Parse("postgres://app%40corp:p%3Ass@db.internal:6543/users_db?sslmode=require&application_name=api");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.Host, Is.EqualTo("db.internal"));
            Assert.That(builder.Port, Is.EqualTo(6543));
            Assert.That(builder.Database, Is.EqualTo("users_db"));
            Assert.That(builder.Username, Is.EqualTo("app@corp"));
            Assert.That(builder.Password, Is.EqualTo("p:ss"));
            Assert.That(builder.SslMode, Is.EqualTo(Npgsql.SslMode.Require));
            Assert.That(builder.ApplicationName, Is.EqualTo("api"));
        }
    }

    [Test]
    public void UrlForm_DefaultsPortTo5432_AndAcceptsPostgresqlScheme()
    {
        var builder = DatabaseConnectionString.Parse("postgresql://u@localhost/db");

        Assert.That(builder.Port, Is.EqualTo(5432));
        Assert.That(builder.Password, Is.Null);
    }

    [Test]
    public void ParsesKeyValueForm()
    {
        var builder = DatabaseConnectionString.Parse("Host=h;Port=5433;Database=d;Username=u;Password=secret");

        Assert.That(builder.Host, Is.EqualTo("h"));
        Assert.That(builder.Port, Is.EqualTo(5433));
    }

    [Test]
    public void MultiHostUrl_BecomesNpgsqlsHostList_WithTheSessionAttributesToChooseBy()
    {
        var builder = DatabaseConnectionString.Parse("postgres://app:p%40ss@db-1:5432,db-2:5433/users_db?target_session_attrs=read-write");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.Host, Is.EqualTo("db-1:5432,db-2:5433"));
            Assert.That(builder.TargetSessionAttributes, Is.EqualTo("read-write"));
            Assert.That(builder.Database, Is.EqualTo("users_db"));
            Assert.That(builder.Username, Is.EqualTo("app"));
            Assert.That(builder.Password, Is.EqualTo("p@ss"));
        }
    }

    [TestCase("postgres://u@[::1]:5433/db", "::1", 5433)]
    [TestCase("postgres://u@[2001:db8::7]/db", "2001:db8::7", 5432)]
    public void Ipv6Host_InBrackets(string url, string host, int port)
    {
        var builder = DatabaseConnectionString.Parse(url);

        Assert.That((builder.Host, builder.Port), Is.EqualTo((host, port)));
    }

    [Test]
    public void MultiHostUrl_WithIpv6AndDefaultPorts()
    {
        var builder = DatabaseConnectionString.Parse("postgresql://u@[::1],db-2/db");

        Assert.That(builder.Host, Is.EqualTo("[::1]:5432,db-2:5432"));
    }

    [Test]
    public void MultiHostKeyValueForm_IsNpgsqlsOwn()
    {
        var builder = DatabaseConnectionString.Build(new DatabaseOptions { Url = "Host=db-1:5432,db-2:5433;Username=u;Target Session Attributes=read-write" });

        Assert.That((builder.Host, builder.TargetSessionAttributes), Is.EqualTo(("db-1:5432,db-2:5433", "read-write")));
    }

    [TestCase("postgres://user:hunter2@/db")]
    [TestCase("Host=h;NoSuchKey=hunter2")]
    [TestCase("postgres://user:hunter2@host:notaport/db")]
    [TestCase("postgres://user:hunter2@db-1:5432,:5433/db")]
    [TestCase("postgres://user:hunter2@db-1:5432,db-2:99999/db")]
    [TestCase("postgres://user:hunter2@[::1/db")]
    public void Malformed_FailsWithMessageNamingTheSetting_WithoutThePassword(string url)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseConnectionString.Parse(url));

        Assert.That(error!.Message, Does.Contain("DATABASE_URL"));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
        Assert.That(error.InnerException, Is.Null);
    }

    [Test]
    public void Build_AppliesTheContractsPoolDefaults()
    {
        var builder = DatabaseConnectionString.Build(new DatabaseOptions { Url = "postgres://u:p@h/d" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.MaxPoolSize, Is.EqualTo(20));
            Assert.That(builder.MinPoolSize, Is.EqualTo(5));
            Assert.That(builder.Timeout, Is.EqualTo(3));
            Assert.That(builder.ConnectionIdleLifetime, Is.EqualTo(600));
            Assert.That(builder.ConnectionLifetime, Is.EqualTo(1800));
        }
    }

    [Test]
    public void Build_PoolOptionsOverrideTheString()
    {
        var builder = DatabaseConnectionString.Build(new DatabaseOptions { Url = "Host=h;Maximum Pool Size=99", MaxPoolSize = 40 });

        Assert.That(builder.MaxPoolSize, Is.EqualTo(40));
    }

    [Test]
    public void Build_FailsClearly_WhenUrlMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseConnectionString.Build(new DatabaseOptions()));

        Assert.That(error!.Message, Does.Contain("DATABASE_URL"));
    }
}
