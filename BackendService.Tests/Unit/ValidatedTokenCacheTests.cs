using System.Security.Claims;
using BackendService.Api.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BackendService.Tests.Unit;

/// <summary>The cache of validated tokens: what it keeps, for how long, and how many.</summary>
public sealed class ValidatedTokenCacheTests
{
    // The real time: the cache's own eviction runs on the system clock, the expiry check on the one given.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Test]
    public async Task ARepeatedToken_IsValidatedOnce()
    {
        var (handler, inner, _) = Create();
        var token = Token(expires: Now.AddMinutes(5));

        var first = await handler.ValidateTokenAsync(token, new TokenValidationParameters());
        var second = await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.That(inner.Calls, Is.EqualTo(1));
        Assert.That(second.IsValid, Is.True);
        Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo(first.ClaimsIdentity.FindFirst("sub")?.Value));
    }

    [Test]
    public async Task AnEntry_NeverOutlivesTheTokensExp()
    {
        var (handler, inner, clock) = Create();
        var token = Token(expires: Now.AddMinutes(5));
        await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        clock.Now = Now.AddMinutes(5);
        await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.That(inner.Calls, Is.EqualTo(2), "at exp the token is validated again (and the inner handler refuses it)");
    }

    [Test]
    public async Task ARefusedToken_IsNotKept()
    {
        var (handler, inner, _) = Create();
        inner.Valid = false;
        var token = Token(expires: Now.AddMinutes(5));

        await handler.ValidateTokenAsync(token, new TokenValidationParameters());
        await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task TheKeyIsTheWholeToken()
    {
        var (handler, inner, _) = Create();

        await handler.ValidateTokenAsync(Token(expires: Now.AddMinutes(5), subject: "a"), new TokenValidationParameters());
        await handler.ValidateTokenAsync(Token(expires: Now.AddMinutes(5), subject: "b"), new TokenValidationParameters());

        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task EachHit_GetsItsOwnIdentity_SoAChangeMadeForOneRequestIsNotSeenByTheNext()
    {
        var (handler, _, _) = Create();
        var token = Token(expires: Now.AddMinutes(5));
        await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        var hit = await handler.ValidateTokenAsync(token, new TokenValidationParameters());
        hit.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var next = await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.That(next.ClaimsIdentity.FindFirst("role"), Is.Null);
    }

    [Test]
    public async Task TheCache_HoldsAtMostItsSize()
    {
        var (handler, _, _) = Create(size: 10);
        var cache = handler.Cache;

        for (var i = 0; i < 25; i++)
        {
            await handler.ValidateTokenAsync(Token(expires: Now.AddMinutes(5), subject: $"client-{i}"), new TokenValidationParameters());
        }

        Assert.That(cache.Count, Is.InRange(1, 10));
    }

    [Test]
    public async Task SizeZero_ValidatesEveryTime()
    {
        var (handler, inner, _) = Create(size: 0);
        var token = Token(expires: Now.AddMinutes(5));

        await handler.ValidateTokenAsync(token, new TokenValidationParameters());
        await handler.ValidateTokenAsync(token, new TokenValidationParameters());

        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    private static (TestedHandler Handler, CountingHandler Inner, ManualClock Clock) Create(int size = 100)
    {
        var clock = new ManualClock { Now = Now };
        var inner = new CountingHandler();
        var cache = new ValidatedTokenCache(Options.Create(new AuthOptions { TokenCacheSize = size }), clock);
        return (new TestedHandler(inner, cache), inner, clock);
    }

    private static string Token(DateTimeOffset expires, string subject = "client") =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Expires = expires.UtcDateTime,
        });

    private sealed class TestedHandler(TokenHandler inner, ValidatedTokenCache cache) : IDisposable
    {
        private readonly CachingTokenHandler _handler = new(inner, cache);

        public ValidatedTokenCache Cache => cache;

        public Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters parameters) =>
            _handler.ValidateTokenAsync(token, parameters);

        public void Dispose() => cache.Dispose();
    }

    /// <summary>Stands in for the signature and claim checks: says valid (or not) and counts the calls.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        public int Calls { get; private set; }

        public bool Valid { get; set; } = true;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            var jwt = new JsonWebToken(token);
            return Task.FromResult(Valid
                ? new TokenValidationResult { IsValid = true, SecurityToken = jwt, ClaimsIdentity = new ClaimsIdentity(jwt.Claims, "Bearer") }
                : new TokenValidationResult { IsValid = false, Exception = new SecurityTokenInvalidSignatureException("refused") });
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
