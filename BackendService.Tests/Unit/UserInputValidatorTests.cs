using BackendService.Application.Paging;
using BackendService.Application.Users;
using BackendService.Domain.Errors;

namespace BackendService.Tests.Unit;

/// <summary>The validator gathers the value objects' answers; the rules themselves are tested beside them.</summary>
public sealed class UserInputValidatorTests
{
    [Test]
    public void ValidInput_BecomesTheValueObjects()
    {
        var input = UserInputValidator.Validate("  ann@example.com ", " Ann ");

        Assert.That((input.Email.Value, input.Name.Value), Is.EqualTo(("ann@example.com", "Ann")));
    }

    [Test]
    public void ReportsEveryBrokenRuleAtOnce_KeyedByJsonName()
    {
        var error = Assert.Throws<ValidationException>(() => UserInputValidator.Validate("nope", "a\u0000b"));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "email", "name" }));
        Assert.That(error.Errors["name"], Has.Exactly(1).StartsWith("Name contains U+0000"));
    }

    [Test]
    public void ReportsOnlyTheBrokenField()
    {
        var error = Assert.Throws<ValidationException>(() => UserInputValidator.Validate(null, "Ann"));

        Assert.That(error!.Errors, Has.Count.EqualTo(1));
        Assert.That(error.Errors["email"], Is.EqualTo(new[] { "Email is required." }));
    }

    [TestCase(PageSize.Min - 1)]
    [TestCase(-5)]
    [TestCase(PageSize.Max + 1)]
    public void PageSize_OutOfRangeIsRejected(int limit)
    {
        var error = Assert.Throws<ValidationException>(() => PageRequest.Parse(limit, null, new KeysetCursor("users")));

        Assert.That(error!.Errors["limit"], Is.EqualTo(new[] { $"Limit must be between {PageSize.Min} and {PageSize.Max}." }));
    }
}
