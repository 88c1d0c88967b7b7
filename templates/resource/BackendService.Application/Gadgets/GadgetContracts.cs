using System.ComponentModel.DataAnnotations;
using BackendService.Domain.Gadgets;

namespace BackendService.Application.Gadgets;

// The attributes state the rules for the OpenAPI schema, from the same constants the value
// objects check; the value objects are what enforces them.

/// <summary>The body of <c>POST /api/v1/gadgets</c>.</summary>
public sealed record CreateGadgetRequest
{
    /// <summary>The gadget's name, trimmed; visible text only.</summary>
    /// <example>Blue one</example>
    [Required]
    [StringLength(GadgetConstraints.NameMaxLength, MinimumLength = GadgetConstraints.NameMinLength)]
    public string? Name { get; init; }
}

/// <summary>The body of <c>PUT /api/v1/gadgets/{id}</c>: the full new state of the gadget.</summary>
public sealed record UpdateGadgetRequest
{
    /// <summary>The gadget's name, trimmed; visible text only.</summary>
    /// <example>Blue one</example>
    [Required]
    [StringLength(GadgetConstraints.NameMaxLength, MinimumLength = GadgetConstraints.NameMinLength)]
    public string? Name { get; init; }
}

/// <summary>A gadget as the API returns it.</summary>
public sealed record GadgetResponse
{
    /// <summary>The gadget's identifier.</summary>
    /// <example>0195f3c2-7b4e-7a51-9f1e-3c2a1b0d4e5f</example>
    public required Guid Id { get; init; }

    /// <summary>The gadget's name, trimmed and in Unicode NFC.</summary>
    /// <example>Blue one</example>
    [StringLength(GadgetConstraints.NameMaxLength, MinimumLength = GadgetConstraints.NameMinLength)]
    public required string Name { get; init; }

    /// <summary>When the gadget was created (UTC).</summary>
    /// <example>2026-11-29T23:05:40.123456Z</example>
    public required DateTime CreatedAt { get; init; }

    /// <summary>When the gadget was last changed (UTC).</summary>
    /// <example>2026-11-29T23:05:40.123456Z</example>
    public required DateTime UpdatedAt { get; init; }
}
