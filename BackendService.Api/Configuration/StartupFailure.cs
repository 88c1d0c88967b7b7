using Microsoft.Extensions.Options;
using Serilog;

namespace BackendService.Api.Configuration;

/// <summary>Tells a bad setting (reported in one line, no stack trace) from a real fault.</summary>
public static class StartupFailure
{
    /// <summary>
    /// Logs why the process could not start (or stopped unexpectedly) and gives its exit code:
    /// 2 and one Fatal line naming the setting for a bad setting, 1 and the stack for a fault.
    /// </summary>
    public static int Report(Exception exception)
    {
        if (IsConfigurationError(exception, out var message))
        {
            Log.Fatal("BackendService cannot start: invalid configuration. {Problem:l}", message);
            return 2;
        }

        Log.Fatal(exception, "BackendService failed to start or stopped unexpectedly");
        return 1;
    }

    public static bool IsConfigurationError(Exception exception, out string message)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var errors = Flatten(exception).Select(Describe).ToList();
        message = string.Join(" ", errors);
        return errors.Count > 0 && errors.All(e => e.Length > 0);
    }

    private static IEnumerable<Exception> Flatten(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Flatten),
        _ => [exception],
    };

    private static string Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        InvalidConfigurationException invalid => invalid.Message,

        // A value the configuration binder could not convert: its message names the key and the type.
        InvalidOperationException binder when binder.Source == typeof(ConfigurationBinder).Assembly.GetName().Name => binder.Message,
        _ => string.Empty,
    };
}
