using System.ComponentModel.DataAnnotations;

namespace BackendService.Api.Observability;

/// <summary>
/// Where the management surface (<c>/metrics</c> and the probes) is served. With a port set it has
/// its own listener, which only the monitoring namespace and the kubelet reach
/// (deploy/base/network-policy.yaml); the public port then answers neither scrapes nor probes, and
/// the management port answers nothing else (<see cref="ManagementPort"/>).
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management port; unset, <c>/metrics</c> and the probes are served on the API's port.</summary>
    [Range(1, 65535, ErrorMessage = "Management:Port must be between 1 and 65535.")]
    public int? Port { get; set; }
}
