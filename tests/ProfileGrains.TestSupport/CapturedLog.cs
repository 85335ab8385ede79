using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProfileGrains.TestSupport;

/// <summary>Every log line a host writes, kept in memory (category, level, message, exception) for tests to read.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<Line> _lines = new();

    public IReadOnlyList<Line> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    public sealed record Line(string Category, LogLevel Level, string Message, string? Exception)
    {
        /// <summary>The line as a text sink would write it: message, then the exception with its stack trace.</summary>
        public string Text => Exception is null ? Message : Message + Environment.NewLine + Exception;
    }

    private sealed class Logger(string category, ConcurrentQueue<Line> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new Line(category, logLevel, formatter(state, exception), exception?.ToString()));
    }
}
