using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Tests.Unit;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 5, 40, TimeSpan.Zero);

    [Test]
    public void Create_TrimsEmailAndName()
    {
        var user = User.Create("  Ann@Example.com\t", "  Ann  ", Now);

        Assert.That(user.Email, Is.EqualTo("Ann@Example.com"));
        Assert.That(user.Name, Is.EqualTo("Ann"));
    }

    [Test]
    public void Create_StampsBothTimestampsInUtc_AtMicrosecondPrecision()
    {
        var now = new DateTimeOffset(2026, 11, 29, 23, 5, 40, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var user = User.Create("a@example.com", "A", now);

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
        var first = User.Create("a@example.com", "A", Now);
        var second = User.Create("a@example.com", "A", Now);

        Assert.That(first.Id, Is.Not.EqualTo(second.Id));
    }

    [Test]
    public void Update_ChangesValues_AndAdvancesUpdatedAt_EvenWhenTheClockDidNot()
    {
        var user = User.Create("a@example.com", "A", Now);

        user.Update(" b@example.com ", " B ", Now);

        Assert.That(user.Email, Is.EqualTo("b@example.com"));
        Assert.That(user.Name, Is.EqualTo("B"));
        Assert.That(user.UpdatedAt, Is.GreaterThan(user.CreatedAt));
        Assert.That(user.CreatedAt, Is.EqualTo(Now.UtcDateTime));
    }

    [Test]
    public void Update_UsesTheClock_WhenItMovedForward()
    {
        var user = User.Create("a@example.com", "A", Now);

        user.Update("a@example.com", "A", Now.AddMinutes(5));

        Assert.That(user.UpdatedAt, Is.EqualTo(Now.AddMinutes(5).UtcDateTime));
    }

    [TestCase("", "Name")]
    [TestCase("   ", "Name")]
    [TestCase("no-at-sign", "Name")]
    [TestCase("a@example.com", "")]
    [TestCase("a@example.com", "  ")]
    public void Create_RejectsBrokenInvariants(string email, string name)
    {
        Assert.Throws<ValidationException>(() => User.Create(email, name, Now));
    }

    [Test]
    public void Create_RejectsOverlongValues()
    {
        Assert.Throws<ValidationException>(() => User.Create(new string('a', 250) + "@x.io", "A", Now));
        Assert.Throws<ValidationException>(() => User.Create("a@example.com", new string('n', UserConstraints.NameMaxLength + 1), Now));
    }

    [Test]
    public void NormalizeEmail_MakesCaseVariantsEqual()
    {
        Assert.That(User.NormalizeEmail(" Ann@X.io "), Is.EqualTo(User.NormalizeEmail("ann@x.io")));
    }
}
