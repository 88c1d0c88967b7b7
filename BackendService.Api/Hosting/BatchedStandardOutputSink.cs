using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace BackendService.Api.Hosting;

/// <summary>
/// Writes log events to standard output a batch at a time: formatted straight into one
/// buffered writer and flushed once per batch. The console sink renders each event into a
/// string of its own and writes and flushes it alone, one system call per request line.
/// Serilog's batching runs this on its own background task.
/// </summary>
internal sealed class BatchedStandardOutputSink(ITextFormatter formatter) : IBatchedLogEventSink, IDisposable
{
#if (benchmark)
    // What the console sink cost per request line: bench/RESULTS.md.
#endif
    private readonly StreamWriter _output = new(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
    {
        AutoFlush = false,
    };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _output);
        }

        // Once per batch: lines reach stdout promptly, without a system call for each. (The
        // bootstrap logger, the only other writer, writes only before and after this sink lives.)
        _output.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _output.Dispose();
}
