using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BackendService.Application.Gadgets;
using BackendService.Application.Paging;

namespace BackendService.Tests.Gadgets;

public sealed partial class ListGadgetsTests : GadgetsTest
{
    [Test]
    public async Task PagesThroughEveryGadget_NewestFirst_FollowingTheLinkHeader()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await CreateGadgetAsync($"Gadget {i}")).Gadget.Id);
        }

        var seen = new List<Guid>();
        var next = GadgetsApi.Path + "?limit=2";
        while (next is not null)
        {
            using var page = await Client.GetAsync(next);
            await ExpectStatusAsync(page, HttpStatusCode.OK);
            seen.AddRange((await page.Content.ReadFromJsonAsync<List<GadgetResponse>>(Json))!.Select(g => g.Id));
            next = page.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups["url"].Value : null;
        }

        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(created).ToList()));
    }

    [Test]
    public async Task Returns400_ForAnotherListingsCursor_AndALimitOutOfRange()
    {
        var otherListing = new KeysetCursor("users").Encode(new KeysetPosition(DateTime.UtcNow, Guid.NewGuid()));

        using var response = await Gadgets.ListAsync($"?limit=0&cursor={otherListing}");

        await ExpectStatusAsync(response, HttpStatusCode.BadRequest);
        var errors = (await ExpectProblemAsync(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "limit", "cursor" }));
    }

    [GeneratedRegex("^<(?<url>[^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();
}
