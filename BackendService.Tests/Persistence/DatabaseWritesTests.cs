using BackendService.Domain.Errors;
using BackendService.Infrastructure.Persistence;
using BackendService.Tests.Support;
using Npgsql;

namespace BackendService.Tests.Persistence;

/// <summary>
/// The one write path on a real database: each kind of declared refusal becomes its answer, an
/// undeclared one stays a fault, and while a request holds its writes nothing is sent.
/// </summary>
public sealed class DatabaseWritesTests
{
    // One foreign key, two meanings: writing a part that names no kind, deleting a kind that has parts.
    private static readonly TableRefusals Refusals = new TableRefusals()
        .Unique("ux_parts_code", "A part with this code already exists.")
        .ReferenceMissing("fk_parts_kind", "The kind was not found.")
        .Check("ck_parts_weight", "weight", "Weight must be positive.");

    private static readonly TableRefusals KindRefusals = new TableRefusals()
        .StillReferenced("fk_parts_kind", "The kind still has parts.");

    private NpgsqlDataSource _dataSource = null!;

    [OneTimeSetUp]
    public async Task CreateTablesAsync()
    {
        var connectionString = await TestDatabase.CreateFreshAsync("backendservice_tests_writes");
        await TestDatabase.ExecuteAsync(connectionString, """
            CREATE TABLE kinds (id int PRIMARY KEY);
            CREATE TABLE parts (code text NOT NULL, kind int NOT NULL, weight int NOT NULL,
                CONSTRAINT ux_parts_code UNIQUE (code),
                CONSTRAINT fk_parts_kind FOREIGN KEY (kind) REFERENCES kinds (id),
                CONSTRAINT ck_parts_weight CHECK (weight > 0));
            INSERT INTO kinds VALUES (1), (2);
            INSERT INTO parts VALUES ('a', 1, 1);
            """);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    [OneTimeTearDown]
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [TestCase("b", 9, 1, typeof(NotFoundException), "The kind was not found.")]
    [TestCase("a", 1, 1, typeof(ConflictException), "A part with this code already exists.")]
    [TestCase("c", 1, 0, typeof(ValidationException), "One or more validation errors occurred.")]
    public async Task ADeclaredRefusal_IsItsAnswer(string code, int kind, int weight, Type expected, string message)
    {
        var writes = new DatabaseWrites(_dataSource, new HeldWrites());

        var error = await Assert.CatchAsync(() => writes.RunOrHoldAsync("INSERT INTO parts VALUES ($1, $2, $3)", Bind(code, kind, weight), Refusals, CancellationToken.None));

        Assert.That(error, Is.TypeOf(expected));
        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public async Task DeletingAReferencedRow_IsTheStillReferencedAnswer()
    {
        var writes = new DatabaseWrites(_dataSource, new HeldWrites());

        var error = await Assert.CatchAsync(() => writes.RunAsync("DELETE FROM kinds WHERE id = 1", _ => { }, KindRefusals, CancellationToken.None));

        Assert.That(error, Is.TypeOf<ConflictException>().With.Message.EqualTo("The kind still has parts."));
    }

    [Test]
    public async Task AnUndeclaredViolation_StaysAFault()
    {
        var writes = new DatabaseWrites(_dataSource, new HeldWrites());

        await Assert.ThrowsAsync<PostgresException>(() => writes.RunOrHoldAsync("INSERT INTO parts VALUES ('a', 1, 1)", _ => { }, new TableRefusals(), CancellationToken.None));
    }

    [Test]
    public async Task WhileHolding_AWriteThatNeedsNothingBackIsHeld_AndOneThatMustAnswerIsRefused()
    {
        var held = new HeldWrites();
        held.Start();
        var writes = new DatabaseWrites(_dataSource, held);

        await writes.RunOrHoldAsync("INSERT INTO parts VALUES ($1, $2, $3)", Bind("held", 1, 1), Refusals, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writes.RunAsync("DELETE FROM parts", _ => { }, Refusals, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writes.RunScalarAsync<long>("UPDATE parts SET weight = 2 RETURNING weight", _ => { }, Refusals, CancellationToken.None));

        Assert.That(held.Held, Has.Count.EqualTo(1));
        await using var count = _dataSource.CreateCommand("SELECT count(*) FROM parts WHERE code = 'held'");
        Assert.That(await count.ExecuteScalarAsync(), Is.Zero, "a held write is not sent");
    }

    private static Action<NpgsqlParameterCollection> Bind(string code, int kind, int weight) => p =>
    {
        p.Add(new NpgsqlParameter<string> { TypedValue = code });
        p.Add(new NpgsqlParameter<int> { TypedValue = kind });
        p.Add(new NpgsqlParameter<int> { TypedValue = weight });
    };
}
