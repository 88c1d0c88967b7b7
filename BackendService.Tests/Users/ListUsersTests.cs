using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BackendService.Application.Users;
using BackendService.Domain.Users;
using BackendService.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BackendService.Tests.Users;

public sealed partial class ListUsersTests : UsersTest
{
    [Test]
    public async Task ReturnsNewestFirst_WithIdAsTieBreak()
    {
        var seeded = await SeedAsync(30, usersPerTimestamp: 3);

        var page = await GetPageAsync($"{UsersPath}?limit=200");

        var expected = seeded.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id.ToString("N"), StringComparer.Ordinal).Select(u => u.Id);
        Assert.That(page.Users.Select(u => u.Id), Is.EqualTo(expected), "createdAt desc, then id desc (PostgreSQL compares uuids bytewise, like their hex)");
        Assert.That(page.Next, Is.Null);
    }

    [Test]
    public async Task DefaultsTo50_WithNextLink()
    {
        await SeedAsync(60);

        using var response = await Client.GetAsync(UsersPath);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var users = await response.Content.ReadFromJsonAsync<List<UserResponse>>(Json);
        Assert.That(users, Has.Count.EqualTo(50));
        var link = string.Join(",", response.Headers.GetValues("Link"));
        Assert.That(link, Does.Match("^</api/v1/users\\?limit=50&cursor=[A-Za-z0-9_-]+>; rel=\"next\"$"));
    }

    [Test]
    public async Task ReturnsEmptyArray_WhenNoUsers()
    {
        var page = await GetPageAsync(UsersPath);

        Assert.That(page.Users, Is.Empty);
        Assert.That(page.Next, Is.Null);
    }

    [Test]
    public async Task LastPageHasNoNextLink_WhenCountIsAMultipleOfLimit()
    {
        await SeedAsync(20);

        var first = await GetPageAsync($"{UsersPath}?limit=10");
        var second = await GetPageAsync(first.Next!);

        Assert.That(first.Users, Has.Count.EqualTo(10));
        Assert.That(second.Users, Has.Count.EqualTo(10));
        Assert.That(second.Next, Is.Null);
    }

    [Test]
    public async Task PagingWhileUsersAreInserted_NeverRepeatsOrSkipsAUser()
    {
        var existing = await SeedAsync(230, usersPerTimestamp: 4);
        var seen = new List<UserResponse>();
        var next = $"{UsersPath}?limit=37";
        var inserted = 0;

        while (next is not null)
        {
            var page = await GetPageAsync(next);
            seen.AddRange(page.Users);
            next = page.Next;

            // Other clients keep creating users between our pages.
            for (var i = 0; i < 3; i++)
            {
                await CreateUserAsync($"late{inserted++}@example.com");
            }
        }

        var seenIds = seen.Select(u => u.Id).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seenIds, Is.Unique, "no user is returned twice");
            Assert.That(seenIds, Is.SupersetOf(existing.Select(u => u.Id)), "every user that existed when paging began is returned");
            Assert.That(seen.Select(u => u.CreatedAt), Is.Ordered.Descending);
        }
    }

    [TestCase("0")]
    [TestCase("201")]
    [TestCase("-1")]
    [TestCase("abc")]
    public async Task Returns400_WhenLimitOutOfRange(string limit)
    {
        using var response = await Client.GetAsync($"{UsersPath}?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("limit", out _), Is.True, problem.ToString());
    }

    [TestCase("1")]
    [TestCase("200")]
    public async Task Accepts_LimitAtBounds(string limit)
    {
        await SeedAsync(3);

        using var response = await Client.GetAsync($"{UsersPath}?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("garbage")]
    [TestCase("zzz")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Returns400_WhenCursorIsNotOneWeIssued(string cursor)
    {
        using var response = await Client.GetAsync($"{UsersPath}?cursor={cursor}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ExpectProblemAsync(response);
        Assert.That(problem.GetProperty("errors").TryGetProperty("cursor", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Returns400_WhenCursorWasTamperedWith()
    {
        await SeedAsync(5);
        var first = await GetPageAsync($"{UsersPath}?limit=2");
        var cursor = CursorPattern().Match(first.Next!).Groups[1].Value;
        var tampered = cursor[..10] + (cursor[10] == 'A' ? 'B' : 'A') + cursor[11..];

        using var response = await Client.GetAsync($"{UsersPath}?limit=2&cursor={tampered}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static async Task<List<User>> SeedAsync(int count, int usersPerTimestamp = 1)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var users = Enumerable.Range(0, count)
            .Select(i => User.Create(EmailAddress.TryCreate($"seed{i}@example.com", out _)!, UserName.TryCreate($"Seed {i}", out _)!, start.AddMilliseconds(i / usersPerTimestamp)))
            .ToList();

        using var scope = TestHost.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users;
    }

    private async Task<(List<UserResponse> Users, string? Next)> GetPageAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var users = await response.Content.ReadFromJsonAsync<List<UserResponse>>(Json);
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            next = NextLinkPattern().Match(string.Join(",", links)).Groups[1].Value;
        }

        return (users!, next);
    }

    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLinkPattern();

    [GeneratedRegex("cursor=([A-Za-z0-9_-]+)")]
    private static partial Regex CursorPattern();
}
