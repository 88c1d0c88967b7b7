using BackendService.Api.Controllers;
using BackendService.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackendService.Tests.Frontend;

/// <summary>
/// Swagger UI the way a frontend developer uses it, in a real browser (Debian's Chromium driven
/// by Playwright), against the service with authentication on: open it, try POST /api/v1/users
/// and see the 401, press Authorize and paste a token from the identity provider, see the 201
/// and the user, then the 409; and as an end user: sign in at the provider from the Authorize
/// dialog (authorization code with PKCE), then create and read the own record at /me.
/// Screenshots go to TestResults/screenshots and are attached to the test results.
/// </summary>
[Category("Browser")]
public sealed class SwaggerUiBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private IdentityProvider _provider = null!;
    private ApiFactory _factory = null!;
    private HttpClient _kestrel = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: scripts/test.sh installs Debian's chromium package");
        _provider = await IdentityProvider.StartAsync();
        _factory = new ApiFactory(TestHost.ConnectionString, _provider.ServiceSettings, kestrel: true);
        _kestrel = _factory.CreateKestrelClient();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,

            // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _kestrel.Dispose();
        await _factory.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Test]
    public async Task TryItOut_CreatesAUser_AndThenShowsTheConflict()
    {
        var token = await _provider.GetTokenAsync($"{UserScopes.Read} {UserScopes.Write}");
        var page = await NewPageAsync();
        await OpenSwaggerUiAsync(page);

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
        var bearer = page.Locator(".modal-ux .auth-container").Filter(new LocatorFilterOptions { HasText = "(http, Bearer)" });
        await bearer.Locator("#auth-bearer-value").FillAsync(token);
        await bearer.Locator("button.authorize").ClickAsync();
        await bearer.Locator("button.btn-done").ClickAsync();
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

    [Test]
    public async Task SignIn_AsAnEndUser_ThenCreatesAndReadsTheOwnRecord()
    {
        // Swagger UI reads the sign-in's flows and scopes from the issuer's discovery document,
        // fetched after the OpenAPI document: the dialog offers the sign-in once that is in.
        var page = await NewPageAsync();
        await page.RunAndWaitForResponseAsync(
            () => OpenSwaggerUiAsync(page),
            response => response.Url == $"{_provider.Issuer}/.well-known/openid-configuration" && response.Ok);

        // The sign-in scheme of the Authorize dialog: Swagger UI's public client, the end-user
        // scopes ticked; its Authorize button opens the provider's login page in a popup.
        await page.Locator(".scheme-container button.authorize").ClickAsync();
        var signIn = page.Locator(".modal-ux .auth-container").Filter(new LocatorFilterOptions { HasText = "authorization_code with PKCE" });
        await Expect(signIn).ToContainTextAsync(UserScopes.Self);
        var login = await page.RunAndWaitForPopupAsync(() => signIn.Locator("button.authorize").ClickAsync());
        await Expect(login.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Sign in" })).ToBeVisibleAsync();
        await login.GetByLabel("Login").FillAsync("alice");
        await login.GetByLabel("Password").FillAsync(IdentityProvider.EndUserPassword);
        await ScreenshotAsync(login, "swagger-ui-sign-in.png");
        await login.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await Expect(signIn.Locator("button", new LocatorLocatorOptions { HasText = "Logout" })).ToBeVisibleAsync();
        await signIn.Locator("button.btn-done").ClickAsync();

        var createMe = page.Locator("#operations-Users-createMyUser");
        await createMe.Locator(".opblock-summary").ClickAsync();
        await createMe.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Try it out" }).ClickAsync();
        await createMe.Locator("textarea.body-param__text").FillAsync("""{ "email": "alice@example.com", "name": "Alice" }""");
        await createMe.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Execute" }).ClickAsync();
        await Expect(createMe.Locator(".live-responses-table tr.response .response-col_status")).ToContainTextAsync("201");

        var getMe = page.Locator("#operations-Users-getMyUser");
        await getMe.Locator(".opblock-summary").ClickAsync();
        await getMe.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Try it out" }).ClickAsync();
        await getMe.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Execute" }).ClickAsync();
        await Expect(getMe.Locator(".live-responses-table tr.response .response-col_status")).ToContainTextAsync("200");
        await Expect(getMe.Locator(".live-responses-table tr.response .response-col_description")).ToContainTextAsync("alice@example.com");
        await ScreenshotAsync(page, "swagger-ui-me-200.png");

        // The record is bound to the identity that signed in, not merely created by someone.
        Assert.That(await TestDatabase.ScalarAsync(TestHost.ConnectionString, "SELECT count(*) FROM users WHERE email = 'alice@example.com' AND identity_subject = 'alice'"), Is.EqualTo(1));
    }

    private Task<IPage> NewPageAsync() =>
        _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1800 } });

    // An empty database, and Swagger UI in a fresh page (its own browser context: no sign-in carried over).
    private async Task OpenSwaggerUiAsync(IPage page)
    {
        await TestHost.ResetAsync();
        await page.GotoAsync($"http://127.0.0.1:{_factory.Port}/swagger/index.html");
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
