using BackendService.Application.Versioning;
using BackendService.Domain.Gadgets;
using Riok.Mapperly.Abstractions;

namespace BackendService.Application.Gadgets;

/// <summary>Entity to response mapping, generated at compile time by Mapperly (no reflection at run time).</summary>
[Mapper]
internal static partial class GadgetMapper
{
    // The version travels in the ETag header, not in the body.
    [MapperIgnoreSource(nameof(Gadget.Version))]
    public static partial GadgetResponse ToResponse(this Gadget gadget);

    public static Versioned<GadgetResponse> ToVersioned(this Gadget gadget) => new(gadget.ToResponse(), EntityTag.For(gadget));
}
