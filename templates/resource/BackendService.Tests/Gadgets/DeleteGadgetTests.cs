using System.Net;

namespace BackendService.Tests.Gadgets;

public sealed class DeleteGadgetTests : GadgetsTest
{
    [Test]
    public async Task Returns204_ThenTheGadgetIsGone_AndASecondDeleteIs404()
    {
        var (created, _) = await CreateGadgetAsync();

        using var deleted = await Gadgets.DeleteAsync(created.Id);
        using var again = await Gadgets.DeleteAsync(created.Id);
        using var read = await Gadgets.GetAsync(created.Id);

        await ExpectStatusAsync(deleted, HttpStatusCode.NoContent);
        await ExpectStatusAsync(again, HttpStatusCode.NotFound);
        await ExpectStatusAsync(read, HttpStatusCode.NotFound);
    }
}
