using BackendService.Application.Errors;
using Npgsql;

namespace BackendService.Infrastructure.Persistence;

/// <summary>Recognises "the database is not there right now" among Npgsql's errors.</summary>
internal static class DatabaseFailure
{
    /// <summary>
    /// Refused or broken connections, an exhausted pool, timeouts, and server states such as
    /// "shutting down" or "too many connections" (Npgsql marks all of these transient).
    /// Constraint violations and other data errors are not unavailability.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException npgsql && (npgsql.IsTransient || npgsql is not PostgresException))
            {
                return true;
            }

            if (current is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    public static DependencyUnavailableException Unavailable(Exception exception) =>
        new("The database is not available right now. Retry shortly.", exception);

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(ex);
        }
    }
}
