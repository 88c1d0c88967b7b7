using Microsoft.Extensions.Options;

namespace BackendService.Infrastructure.Persistence;

/// <summary>What annotations cannot state: the URL must be there and parse; the pool's minimum is within its maximum.</summary>
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

        if (options.MinPoolSize > options.MaxPoolSize)
        {
            failures.Add($"Database:MinPoolSize must be at most Database:MaxPoolSize ({options.MaxPoolSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
