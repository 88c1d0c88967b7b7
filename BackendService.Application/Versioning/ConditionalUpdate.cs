using BackendService.Domain.Entities;
using BackendService.Domain.Errors;

namespace BackendService.Application.Versioning;

/// <summary>
/// Read, check If-Match, change, write only if the row still has the version that was read.
/// With If-Match a lost race is 412. Without it the client asked for "last write wins": a
/// concurrent write between our read and our write is retried rather than reported, a bounded
/// number of times, then 409.
/// </summary>
public static class ConditionalUpdate
{
    public const int UnconditionalAttempts = 3;

    /// <param name="noun">What the resource is called in messages ("user").</param>
    /// <param name="ifMatch">The entity tags of an If-Match header (<c>*</c> for any), or null when none was sent.</param>
    /// <param name="find">Loads the entity; null when there is none.</param>
    /// <param name="notFound">The error when there is none.</param>
    /// <param name="change">Applies the change to the entity that was read.</param>
    /// <param name="write">Writes it, conditional on the version it was read with (a <see cref="PreconditionFailedException"/> when it changed meanwhile).</param>
    public static async Task<TEntity> RunAsync<TEntity>(
        string noun,
        IReadOnlyCollection<string>? ifMatch,
        Func<Task<TEntity?>> find,
        Func<Exception> notFound,
        Action<TEntity> change,
        Func<TEntity, Task> write)
        where TEntity : VersionedEntity
    {
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(write);
        for (var attempt = 1; ; attempt++)
        {
            var entity = await find() ?? throw notFound();
            if (ifMatch is not null && !EntityTag.Matches(ifMatch, entity))
            {
                throw StaleVersion(noun);
            }

            change(entity);
            try
            {
                // Conditional on the version we read, so a write that slipped in after the
                // If-Match check above still fails rather than being overwritten.
                await write(entity);
                return entity;
            }
            catch (PreconditionFailedException) when (ifMatch is not null)
            {
                throw StaleVersion(noun);
            }
            catch (PreconditionFailedException) when (attempt < UnconditionalAttempts)
            {
                // Someone else wrote (or deleted) it meanwhile: read again and reapply.
            }
            catch (PreconditionFailedException)
            {
                // No If-Match, so 412 would be wrong: the client stated no precondition.
                throw new ConflictException($"The {noun} is being changed by other requests at the same time. Retry.");
            }
        }
    }

    private static PreconditionFailedException StaleVersion(string noun) =>
        new($"The {noun} has changed since the given If-Match version. Fetch it again and retry with the new ETag.");
}
