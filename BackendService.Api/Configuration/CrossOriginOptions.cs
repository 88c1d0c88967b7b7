namespace BackendService.Api.Configuration;

/// <summary>Which browser origins may call the API. None by default.</summary>
public sealed class CrossOriginOptions
{
    public const string SectionName = "Cors";

    /// <summary>Origins separated by commas or spaces, e.g. <c>https://app.example.com,http://localhost:5173</c>.</summary>
    public string AllowedOrigins { get; set; } = string.Empty;

    public IReadOnlyList<string> Origins =>
        AllowedOrigins.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
