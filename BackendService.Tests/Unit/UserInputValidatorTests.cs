using BackendService.Application.Users;
using BackendService.Domain.Errors;

namespace BackendService.Tests.Unit;

public sealed class UserInputValidatorTests
{
    [TestCase("ann@example.com")]
    [TestCase("first.last+tag@sub.example.co.uk")]
    [TestCase("  padded@example.com  ")]
    public void AcceptsValidEmail(string email)
    {
        var input = UserInputValidator.Validate(email, "Ann");

        Assert.That(input.Email, Is.EqualTo(email.Trim()));
    }

    [TestCase(null, "Email is required.")]
    [TestCase("", "Email is required.")]
    [TestCase("plainaddress", null)]
    [TestCase("@example.com", null)]
    [TestCase("ann@", null)]
    [TestCase("ann example@example.com", null)]
    [TestCase("Ann <ann@example.com>", null)]
    [TestCase("ann@example..com", null)]
    [TestCase("ann@.example.com", null)]
    public void RejectsInvalidEmail(string? email, string? message)
    {
        var error = Assert.Throws<ValidationException>(() => UserInputValidator.Validate(email, "Ann"));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "email" }));
        if (message is not null)
        {
            Assert.That(error.Errors["email"], Is.EqualTo(new[] { message }));
        }
    }

    [Test]
    public void EmailLength_IsCheckedAfterTrimming()
    {
        var exactly254 = new string('a', 64) + "@" + new string('b', 186) + ".io";
        Assert.That(exactly254, Has.Length.EqualTo(254));

        Assert.DoesNotThrow(() => UserInputValidator.Validate("  " + exactly254 + "  ", "Ann"));
        Assert.Throws<ValidationException>(() => UserInputValidator.Validate("a" + exactly254, "Ann"));
    }

    [TestCase(1, true)]
    [TestCase(200, true)]
    [TestCase(201, false)]
    public void NameLength_MustBe1To200(int length, bool valid)
    {
        var name = new string('n', length);

        if (valid)
        {
            Assert.That(UserInputValidator.Validate("a@example.com", $"  {name}  ").Name, Is.EqualTo(name));
        }
        else
        {
            Assert.Throws<ValidationException>(() => UserInputValidator.Validate("a@example.com", name));
        }
    }

    [Test]
    public void ReportsEveryBrokenRuleAtOnce()
    {
        var error = Assert.Throws<ValidationException>(() => UserInputValidator.Validate("nope", " "));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "email", "name" }));
    }

    [TestCase(null, 50)]
    [TestCase(1, 1)]
    [TestCase(200, 200)]
    public void PageSize_DefaultsAndBounds(int? limit, int expected)
    {
        Assert.That(UserInputValidator.ValidatePageSize(limit), Is.EqualTo(expected));
    }

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(201)]
    public void PageSize_OutOfRangeIsRejected(int limit)
    {
        var error = Assert.Throws<ValidationException>(() => UserInputValidator.ValidatePageSize(limit));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "limit" }));
    }
}
