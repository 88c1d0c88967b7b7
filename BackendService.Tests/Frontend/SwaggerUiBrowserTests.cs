using BackendService.Api.Controllers;
using BackendService.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackendService.Tests.Frontend;

/// <summary>
/// Swagger UI the way a frontend developer uses it, in a real browser (Debian's Chromium driven
/// by Playwright), against the service with authentication on: open it, try POST /api/v1/users
/// and see the 401, press Authorize and paste a token from the identity provider, see the 201
/// and the user, then the 409.
/// Screenshots go to TestResults/screenshots and are attached to the test results.
/// </summary>
[Category("Browser")]
public sealed class SwaggerUiBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task TryItOut_CreatesAUser_AndThenShowsTheConflict()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: scripts/test.sh installs Debian's chromium package");
        await TestHost.ResetAsync();
        await using var provider = await IdentityProvider.StartAsync();
        await using var factory = new ApiFactory(TestHost.ConnectionString, provider.ServiceSettings, kestrel: true);
        using var _ = factory.CreateKestrelClient();
        var token = await provider.GetTokenAsync($"{UserScopes.Read} {UserScopes.Write}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,

            // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1800 } });
        await page.GotoAsync($"http://127.0.0.1:{factory.Port}/swagger/index.html");

        var create = page.Locator("#operations-Users-createUser");
        await Expect(create).ToBeVisibleAsync();
        await create.Locator(".opblock-summary").ClickAsync();
        await create.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Try it out" }).ClickAsync();
        await create.Locator("textarea.body-param__text").FillAsync("""{ "email": "swagger.ui@example.com", "name": "Swagger UI" }""");

        await create.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Execute" }).ClickAsync();
        var status = create.Locator(".live-responses-table tr.response .response-col_status");
        var body = create.Locator(".live-responses-table tr.response .response-col_description");
        await Expect(status).ToContainTextAsync("401");

        // Authorize: the bearer scheme's dialog takes the token; every request then carries it.
        await page.Locator(".scheme-container button.authorize").ClickAsync();
        await page.Locator(".modal-ux input").FillAsync(token);
        await page.Locator(".modal-ux button.authorize").ClickAsync();
        await page.Locator(".modal-ux button.btn-done").ClickAsync();
        await create.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Execute" }).ClickAsync();
        await Expect(status).ToContainTextAsync("201");
        await Expect(body).ToContainTextAsync("swagger.ui@example.com");
        await Expect(body).ToContainTextAsync("\"id\"");
        await ScreenshotAsync(page, "swagger-ui-post-201.png");

        // The same body again: the email is taken.
        await create.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Execute" }).ClickAsync();
        await Expect(status).ToContainTextAsync("409");
        await Expect(body).ToContainTextAsync("already exists");
        await ScreenshotAsync(page, "swagger-ui-post-409.png");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(TestDatabase.RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }
}
