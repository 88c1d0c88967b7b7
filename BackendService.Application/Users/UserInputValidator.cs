using BackendService.Domain.Errors;
using BackendService.Domain.Users;

namespace BackendService.Application.Users;

/// <summary>The email and name after validation, as the value objects that own their rules.</summary>
public readonly record struct ValidUserInput(EmailAddress Email, UserName Name);

/// <summary>
/// Turns what a client sent into valid values or one 400 that lists every broken rule, keyed
/// by the JSON property name, so a client can fix a form in one round trip. The rules
/// themselves live with the values (<see cref="EmailAddress"/>, <see cref="UserName"/>); this class only gathers their answers.
/// </summary>
public static class UserInputValidator
{
    public static ValidUserInput Validate(string? email, string? name)
    {
        var validEmail = EmailAddress.TryCreate(email, out var emailError);
        var validName = UserName.TryCreate(name, out var nameError);
        if (validEmail is null || validName is null)
        {
            var errors = new Dictionary<string, string[]>();
            if (emailError is not null)
            {
                errors["email"] = [emailError];
            }

            if (nameError is not null)
            {
                errors["name"] = [nameError];
            }

            throw new ValidationException(errors);
        }

        return new ValidUserInput(validEmail, validName);
    }
}
