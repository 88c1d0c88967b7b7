using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Observability;

/// <summary>
/// Where the management surface (<c>/metrics</c>) is served. With a port set it has its own
/// listener, which only the monitoring namespace may reach (deploy/base/network-policy.yaml),
/// and the public port answers no scrape.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management port; unset, <c>/metrics</c> is served on the API's port.</summary>
    [Range(1, 65535, ErrorMessage = "Management:Port must be between 1 and 65535.")]
    public int? Port { get; set; }
}
