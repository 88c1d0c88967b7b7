using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Gadgets;

namespace BackendService.Tests.Gadgets;

public sealed class UpdateGadgetTests : GadgetsTest
{
    [Test]
    public async Task WithTheCurrentETag_Returns200AndANewETag_AndTheOldETagIsThen412()
    {
        var (created, etag) = await CreateGadgetAsync("Blue one");

        using var updated = await Gadgets.UpdateAsync(created.Id, new { name = "Red one" }, ifMatch: etag);
        using var stale = await Gadgets.UpdateAsync(created.Id, new { name = "Green one" }, ifMatch: etag);

        await ExpectStatusAsync(updated, HttpStatusCode.OK);
        var body = await updated.Content.ReadFromJsonAsync<GadgetResponse>(Json);
        Assert.That(body!.Name, Is.EqualTo("Red one"));
        Assert.That(body.UpdatedAt, Is.GreaterThan(created.UpdatedAt));
        Assert.That(updated.Headers.ETag?.ToString(), Is.Not.EqualTo(etag));
        await ExpectStatusAsync(stale, HttpStatusCode.PreconditionFailed);
        await ExpectProblemAsync(stale);
        Assert.That(await ScalarAsync("SELECT count(*) FROM gadgets WHERE name = 'Red one' AND version = 2"), Is.EqualTo(1), "the stale write changed nothing; the trigger moved the version");
    }

    [Test]
    public async Task WithoutIfMatch_LastWriteWins()
    {
        var (created, _) = await CreateGadgetAsync();

        using var updated = await Gadgets.UpdateAsync(created.Id, new { name = "Anyway" });

        await ExpectStatusAsync(updated, HttpStatusCode.OK);
    }

    [Test]
    public async Task Returns404_WhenThereIsNone_And400_WhenTheNameBreaksARule()
    {
        var (created, _) = await CreateGadgetAsync();

        using var missing = await Gadgets.UpdateAsync(Guid.NewGuid(), new { name = "Anyway" });
        using var invalid = await Gadgets.UpdateAsync(created.Id, new { name = "\u202e" });

        await ExpectStatusAsync(missing, HttpStatusCode.NotFound);
        await ExpectStatusAsync(invalid, HttpStatusCode.BadRequest);
    }
}
