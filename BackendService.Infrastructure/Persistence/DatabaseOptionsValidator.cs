using Microsoft.Extensions.Options;

namespace BackendService.Infrastructure.Persistence;

/// <summary>Checks the database settings at startup, so a bad value never waits for the first request.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            failures.Add(DatabaseConnectionString.NotSetMessage);
        }
        else
        {
            try
            {
                DatabaseConnectionString.Parse(options.Url);
            }
            catch (FormatException ex)
            {
                failures.Add(ex.Message);
            }
        }

        if (options.MaxPoolSize < 1)
        {
            failures.Add($"Database:MaxPoolSize must be at least 1, not {options.MaxPoolSize}.");
        }

        if (options.MinPoolSize < 0 || options.MinPoolSize > options.MaxPoolSize)
        {
            failures.Add($"Database:MinPoolSize must be between 0 and Database:MaxPoolSize ({options.MaxPoolSize}), not {options.MinPoolSize}.");
        }

        if (options.AcquireTimeoutSeconds < 1)
        {
            failures.Add("Database:AcquireTimeoutSeconds must be at least 1.");
        }

        if (options.CommandTimeoutSeconds < 1)
        {
            failures.Add("Database:CommandTimeoutSeconds must be at least 1.");
        }

        if (options.MaxAutoPrepare < 0)
        {
            failures.Add("Database:MaxAutoPrepare must not be negative.");
        }

        if (options.IdleTimeoutSeconds < 1)
        {
            failures.Add("Database:IdleTimeoutSeconds must be at least 1.");
        }

        if (options.MaxLifetimeSeconds < 0)
        {
            failures.Add("Database:MaxLifetimeSeconds must not be negative (0 means no limit).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
