namespace BackendService.Domain.Users;

/// <summary>
/// Who a user record belongs to, when a person created it for themself: the issuer and subject of
/// their token. Never returned to other callers and never changed through the API.
/// </summary>
public sealed record UserIdentity
{
    public UserIdentity(string issuer, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        Issuer = issuer;
        Subject = subject;
    }

    public string Issuer { get; }

    public string Subject { get; }
}
