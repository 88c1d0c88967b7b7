using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Configuration;

/// <summary>The HTTP side: where we listen, how long a request may take, how we stop.</summary>
public sealed class HttpServerOptions
{
    public const string SectionName = "Http";

    /// <summary>TCP port on all interfaces; <c>PORT</c> in the environment sets it.</summary>
    [Range(1, 65535, ErrorMessage = "PORT (Http:Port) must be between 1 and 65535.")]
    public int Port { get; set; } = 8080;

    /// <summary>A request still running after this is cancelled (its SQL too) and answered 504.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Http:RequestTimeoutSeconds must be at least 1.")]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Larger request bodies are refused with 413, on any path.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Http:MaxRequestBodyBytes must be at least 1.")]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The API's own endpoints (resource documents of a few KB) refuse larger bodies with 413 before reading them.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Http:MaxApiRequestBodyBytes must be at least 1.")]
    public long MaxApiRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>A longer path plus query string is refused with 414.</summary>
    [Range(256, int.MaxValue, ErrorMessage = "Http:MaxRequestTargetBytes must be at least 256.")]
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// After SIGTERM, how long readiness reports 503 while requests are still served, so a load
    /// balancer can stop sending before the listener closes.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Http:DrainDelaySeconds must not be negative.")]
    public int DrainDelaySeconds { get; set; }

    /// <summary>After the drain delay, how long in-flight requests get to finish.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Http:ShutdownTimeoutSeconds must be at least 1.")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
