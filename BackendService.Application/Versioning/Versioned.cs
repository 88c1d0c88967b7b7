namespace BackendService.Application.Versioning;

/// <summary>A resource as the API returns it, with the entity tag of its current version (the ETag header).</summary>
public sealed record Versioned<T>(T Value, string ETag);
