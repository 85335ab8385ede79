namespace ProfileGrains.Host;

/// <summary>Section <c>ProfileGrains:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "ProfileGrains:Telemetry";

    /// <summary>Collect metrics at all (on by default); off, neither Prometheus nor OTLP gets any.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Also collect Orleans' own meter (messages, grain calls, activations…). Off by default: it records several
    /// measurements on every grain call, which a profile of the echo and lookup phases found among the costliest frames.
    /// </summary>
    public bool OrleansMetrics { get; set; }

    /// <summary>Serve the Prometheus scrape endpoint <c>/metrics</c> (on by default).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317): metrics and traces are pushed there. Unset: no traces.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The share of requests traced (parent-based), 0 to 1.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}
