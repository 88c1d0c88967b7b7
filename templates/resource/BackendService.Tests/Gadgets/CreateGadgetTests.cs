using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Gadgets;

namespace BackendService.Tests.Gadgets;

public sealed class CreateGadgetTests : GadgetsTest
{
    [Test]
    public async Task Returns201_WithLocationETagAndTheStoredGadget()
    {
        using var response = await Gadgets.CreateAsync(new { name = "  Blue one  " });

        await ExpectStatusAsync(response, HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<GadgetResponse>(Json);
        Assert.That(created!.Name, Is.EqualTo("Blue one"));
        Assert.That(response.Headers.Location?.ToString(), Does.EndWith(GadgetsApi.PathOf(created.Id)));
        Assert.That(response.Headers.ETag is { IsWeak: false }, Is.True);
        Assert.That(await ScalarAsync("SELECT count(*) FROM gadgets"), Is.EqualTo(1));

        using var read = await Gadgets.GetAsync(created.Id);
        Assert.That(await read.Content.ReadFromJsonAsync<GadgetResponse>(Json), Is.EqualTo(created), "a create answers what a read answers");
    }

    [TestCase("Ann")]
    [TestCase("Zoë Ångström")]
    [TestCase("李小龍")]
    [TestCase("Ёжик в тумане")]
    [TestCase("محمد")]
    [TestCase("שלום")]
    [TestCase("देवनागरी")]
    [TestCase("Ελένη")]
    public async Task AcceptsNamesInAnyScript(string name)
    {
        var (created, _) = await CreateGadgetAsync(name);

        Assert.That(created.Name, Is.EqualTo(name));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("a\u200bb")]
    [TestCase("a\u202eb")]
    [TestCase("a\0b")]
    public async Task Returns400_AndStoresNothing_WhenTheNameBreaksARule(string? name)
    {
        using var response = await Gadgets.CreateAsync(new { name });

        await ExpectStatusAsync(response, HttpStatusCode.BadRequest);
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("name", out _), Is.True);
        Assert.That(await ScalarAsync("SELECT count(*) FROM gadgets"), Is.Zero);
    }

    [Test]
    public async Task Returns400_WhenTheBodyHasAnUnknownProperty()
    {
        using var response = await Gadgets.CreateAsync(new { name = "Blue one", nmae = "typo" });

        await ExpectStatusAsync(response, HttpStatusCode.BadRequest);
        await ExpectProblemAsync(response);
    }

    [Test]
    public async Task WithAnIdempotencyKey_ARetryReplaysTheFirstAnswer_AndAnotherRequestWithTheKeyIs422()
    {
        var key = Guid.NewGuid().ToString();

        using var first = await Gadgets.CreateAsync(new { name = "Once" }, key);
        using var retry = await Gadgets.CreateAsync(new { name = "Once" }, key);
        using var other = await Gadgets.CreateAsync(new { name = "Other" }, key);

        await ExpectStatusAsync(first, HttpStatusCode.Created);
        await ExpectStatusAsync(retry, HttpStatusCode.Created);
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        await ExpectStatusAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.That(await ScalarAsync("SELECT count(*) FROM gadgets"), Is.EqualTo(1));
    }
}
