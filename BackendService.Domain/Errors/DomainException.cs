namespace BackendService.Domain.Errors;

/// <summary>
/// Base of the errors the domain and use cases raise on purpose. The API maps each subtype
/// to one HTTP status; anything that is not a <see cref="DomainException"/> is a fault.
/// Messages are written for API users and are safe to return to them.
/// </summary>
public abstract class DomainException : Exception
{
    protected DomainException(string message)
        : base(message)
    {
    }
}

/// <summary>The addressed resource does not exist.</summary>
public class NotFoundException : DomainException
{
    public NotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>The input breaks one or more rules; <see cref="Errors"/> lists them per field.</summary>
public class ValidationException : DomainException
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("One or more validation errors occurred.")
    {
        Errors = errors;
    }

    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    /// <summary>Messages keyed by the camelCase name of the offending field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The request is valid but conflicts with the current state (e.g. an email already taken).</summary>
public class ConflictException : DomainException
{
    public ConflictException(string message)
        : base(message)
    {
    }
}

/// <summary>A precondition the client stated (If-Match) no longer holds.</summary>
public class PreconditionFailedException : DomainException
{
    public PreconditionFailedException(string message)
        : base(message)
    {
    }
}

/// <summary>The caller may not do this, whatever it sends (a token that names no person, say).</summary>
public class ForbiddenException : DomainException
{
    public ForbiddenException(string message)
        : base(message)
    {
    }
}
