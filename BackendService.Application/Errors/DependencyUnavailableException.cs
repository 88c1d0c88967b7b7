namespace BackendService.Application.Errors;

/// <summary>
/// A dependency (the database) could not be reached or did not answer in time. Not the
/// client's fault and usually brief: the API answers 503 with Retry-After.
/// </summary>
public sealed class DependencyUnavailableException(string message, Exception innerException) : Exception(message, innerException);
