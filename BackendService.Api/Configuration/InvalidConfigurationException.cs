namespace BackendService.Api.Configuration;

/// <summary>A setting has a value we cannot use. The message names the setting and is safe to log.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
