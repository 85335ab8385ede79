using System.Diagnostics.Metrics;

namespace ProfileGrains.Grains;

/// <summary>
/// The engine's own metrics, under the meter <c>ProfileGrains</c> (read with dotnet-counters, or any exporter of
/// System.Diagnostics.Metrics). Made by the host's meter factory, so each engine in a process counts on its own.
/// </summary>
public sealed class EngineMetrics
{
    public const string MeterName = "ProfileGrains";

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        RetentionErasures = meter.CreateCounter<long>(
            "profilegrains.retention.erased",
            unit: "{customer}",
            description: "Customers erased by retention after the configured period of inactivity (records merged into them included)");
    }

    public Counter<long> RetentionErasures { get; }
}
