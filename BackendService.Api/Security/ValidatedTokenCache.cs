using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BackendService.Api.Security;

/// <summary>
/// Tokens already validated, so that a client sending the same bearer token on every request
/// pays for its RS256 signature check once, not per request. Only valid tokens enter, keyed by
/// the whole token; an entry never outlives the token's <c>exp</c>; at most
/// <c>Auth:TokenCacheSize</c> entries are held (a full cache takes no more until it has shed some).
/// </summary>
internal sealed class ValidatedTokenCache(IOptions<AuthOptions> options, TimeProvider clock) : IDisposable
{
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.TokenCacheSize) });

    public bool Enabled { get; } = options.Value.TokenCacheSize > 0;

    public int Count => _entries.Count;

    /// <summary>A copy of the validated identity, so no request sees changes another made to its own.</summary>
    public bool TryGet(string token, [NotNullWhen(true)] out TokenValidationResult? result)
    {
        result = null;
        if (!_entries.TryGetValue(token, out Validated? hit) || hit is null || hit.Expires <= clock.GetUtcNow())
        {
            return false;
        }

        result = new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = hit.Result.ClaimsIdentity.Clone(),
            SecurityToken = hit.Result.SecurityToken,
            TokenType = hit.Result.TokenType,
            Issuer = hit.Result.Issuer,
        };
        return true;
    }

    public void Add(string token, TokenValidationResult result)
    {
        if (!Enabled || !result.IsValid || result.SecurityToken is null)
        {
            return;
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
        if (expires <= clock.GetUtcNow())
        {
            return;
        }

        _entries.Set(token, new Validated(result, expires), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = expires });
    }

    public void Dispose() => _entries.Dispose();

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset Expires);
}

/// <summary>The bearer handler's token handler, asked only for tokens the cache does not hold.</summary>
internal sealed class CachingTokenHandler(TokenHandler inner, ValidatedTokenCache cache) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (cache.TryGet(token, out var cached))
        {
            return cached;
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        cache.Add(token, result);
        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);
}
