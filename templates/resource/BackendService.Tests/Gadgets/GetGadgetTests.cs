using System.Net;
using System.Net.Http.Json;
using BackendService.Application.Gadgets;

namespace BackendService.Tests.Gadgets;

public sealed class GetGadgetTests : GadgetsTest
{
    [Test]
    public async Task Returns200_WithTheGadgetAndItsETag_Then304WhileCurrent()
    {
        var (created, etag) = await CreateGadgetAsync();

        using var found = await Gadgets.GetAsync(created.Id);
        using var notModified = await Gadgets.GetAsync(created.Id, ifNoneMatch: etag);

        await ExpectStatusAsync(found, HttpStatusCode.OK);
        Assert.That(await found.Content.ReadFromJsonAsync<GadgetResponse>(Json), Is.EqualTo(created));
        Assert.That(found.Headers.ETag?.ToString(), Is.EqualTo(etag));
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Returns404ProblemDetails_WhenThereIsNone()
    {
        using var response = await Gadgets.GetAsync(Guid.NewGuid());

        await ExpectStatusAsync(response, HttpStatusCode.NotFound);
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("Gadget "));
    }

    [Test]
    public async Task Returns400_WhenTheIdIsNotAUuid()
    {
        using var response = await Gadgets.GetAsync("not-a-uuid");

        await ExpectStatusAsync(response, HttpStatusCode.BadRequest);
        await ExpectProblemAsync(response);
    }
}
