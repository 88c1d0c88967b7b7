using BackendService.Domain.Errors;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>
/// What a table's constraints mean to a client, declared once beside the table's configuration:
/// a unique constraint is 409, a foreign key 404 (the referenced resource is not there) or 409
/// (something still refers to this row), a check constraint 400 on a field. A violation of a
/// constraint that is not declared here is a fault (500), not an answer. One set per table
/// written: a foreign key means "not found" to the table that refers, "still referenced" to the
/// table referred to.
/// </summary>
public sealed class TableRefusals
{
    private readonly Dictionary<(string SqlState, string Constraint), Func<DomainException>> _refusals = [];

    /// <summary>Another row already has this value: 409 with <paramref name="message"/>.</summary>
    public TableRefusals Unique(string constraint, string message) =>
        Add(PostgresErrorCodes.UniqueViolation, constraint, () => new ConflictException(message));

    /// <summary>An insert or update names a row that does not exist: 404 with <paramref name="message"/>.</summary>
    public TableRefusals ReferenceMissing(string constraint, string message) =>
        Add(PostgresErrorCodes.ForeignKeyViolation, constraint, () => new NotFoundException(message));

    /// <summary>A delete or update would leave other rows referring to nothing: 409 with <paramref name="message"/>.</summary>
    public TableRefusals StillReferenced(string constraint, string message) =>
        Add(PostgresErrorCodes.ForeignKeyViolation, constraint, () => new ConflictException(message));

    /// <summary>A value the table's check refuses: 400 on <paramref name="field"/> with <paramref name="message"/>.</summary>
    public TableRefusals Check(string constraint, string field, string message) =>
        Add(PostgresErrorCodes.CheckViolation, constraint, () => new ValidationException(field, message));

    /// <summary>The answer to a refused write, in the API's terms; null when the failure is not one of ours to explain.</summary>
    public DomainException? RefusalOf(PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.ConstraintName is { } constraint && _refusals.TryGetValue((exception.SqlState, constraint), out var refusal)
            ? refusal()
            : null;
    }

    private TableRefusals Add(string sqlState, string constraint, Func<DomainException> refusal)
    {
        _refusals.Add((sqlState, constraint), refusal);
        return this;
    }
}
