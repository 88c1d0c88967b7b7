using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 5, 40, TimeSpan.Zero);

    [Test]
    public void Create_TrimsEmailAndName()
    {
        var user = User.Create(Email("  Ann@Example.com\t"), Name("  Ann  "), Now);

        Assert.That(user.Email, Is.EqualTo("Ann@Example.com"));
        Assert.That(user.Name, Is.EqualTo("Ann"));
    }

    [Test]
    public void Create_StampsBothTimestampsInUtc_AtMicrosecondPrecision()
    {
        var now = new DateTimeOffset(2026, 11, 29, 23, 5, 40, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var user = User.Create(Email("a@example.com"), Name("A"), now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(user.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(user.CreatedAt, Is.EqualTo(now.UtcDateTime.AddTicks(-7)));
            Assert.That(user.CreatedAt.Ticks % TimeSpan.TicksPerMicrosecond, Is.Zero);
            Assert.That(user.UpdatedAt, Is.EqualTo(user.CreatedAt));
        }
    }

    [Test]
    public void Create_GivesEachUserItsOwnId()
    {
        var first = User.Create(Email("a@example.com"), Name("A"), Now);
        var second = User.Create(Email("a@example.com"), Name("A"), Now);

        Assert.That(first.Id, Is.Not.EqualTo(second.Id));
    }

    [Test]
    public void Update_ChangesValues_AndAdvancesUpdatedAt_EvenWhenTheClockDidNot()
    {
        var user = User.Create(Email("a@example.com"), Name("A"), Now);

        user.Update(Email(" b@example.com "), Name(" B "), Now);

        Assert.That(user.Email, Is.EqualTo("b@example.com"));
        Assert.That(user.Name, Is.EqualTo("B"));
        Assert.That(user.UpdatedAt, Is.GreaterThan(user.CreatedAt));
        Assert.That(user.CreatedAt, Is.EqualTo(Now.UtcDateTime));
    }

    [Test]
    public void Update_UsesTheClock_WhenItMovedForward()
    {
        var user = User.Create(Email("a@example.com"), Name("A"), Now);

        user.Update(Email("a@example.com"), Name("A"), Now.AddMinutes(5));

        Assert.That(user.UpdatedAt, Is.EqualTo(Now.AddMinutes(5).UtcDateTime));
    }

    [Test]
    public void Create_StoresTheValuesAndTheEmailKey()
    {
        var user = User.Create(Email(" Ann@Example.COM "), Name(" Ann "), Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(user.Email, Is.EqualTo("Ann@Example.COM"));
            Assert.That(user.EmailKey, Is.EqualTo("ann@example.com"));
            Assert.That(user.Name, Is.EqualTo("Ann"));
        }
    }

    private static EmailAddress Email(string value) =>
        EmailAddress.TryCreate(value, out var error) ?? throw new ArgumentException(error, nameof(value));

    private static UserName Name(string value) =>
        UserName.TryCreate(value, out var error) ?? throw new ArgumentException(error, nameof(value));
}
