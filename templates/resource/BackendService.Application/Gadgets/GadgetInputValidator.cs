using BackendService.Domain.Errors;
using BackendService.Domain.Gadgets;

namespace BackendService.Application.Gadgets;

/// <summary>The values after validation, as the value objects that own their rules.</summary>
public readonly record struct ValidGadgetInput(GadgetName Name);

/// <summary>
/// Turns what a client sent into valid values or one 400 that lists every broken rule, keyed by
/// the JSON property name. The rules live with the values (<see cref="GadgetName"/>).
/// </summary>
public static class GadgetInputValidator
{
    public static ValidGadgetInput Validate(string? name)
    {
        var validName = GadgetName.TryCreate(name, out var nameError);
        return validName is not null
            ? new ValidGadgetInput(validName)
            : throw new ValidationException(new Dictionary<string, string[]> { ["name"] = [nameError!] });
    }
}
