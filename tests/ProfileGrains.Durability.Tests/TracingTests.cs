using System.Collections.Concurrent;
using System.Diagnostics;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>With tracing on, one request's trace runs from the gateway through the grain calls to its SQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TracingTests(SharedPostgres postgres)
{
    private static readonly ActivitySource Client = new("ProfileGrains.Tests.Client");

    [Fact]
    public async Task A_tracked_event_is_one_trace_from_the_gateway_through_the_grains_to_postgresql()
    {
        var captured = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = captured.Add,
        };
        ActivitySource.AddActivityListener(listener);

        // Any collector address turns tracing on; nothing needs to listen there for the engine to trace.
        var database = await postgres.NewDatabaseAsync();
        await using var engine = await DurableEngine.StartAsync(database, Unique("tracing"), "--ProfileGrains:Telemetry:OtlpEndpoint=http://127.0.0.1:9");
        var email = Email("traced");
        await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });

        ActivityTraceId trace;
        using (var root = Client.StartActivity("track a page view"))
        {
            trace = root!.TraceId;
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
        }

        IReadOnlyList<string> Sources() => [.. captured.Where(a => a.TraceId == trace).Select(a => a.Source.Name).Distinct()];
        Assert.True(
            await Eventually(() => Task.FromResult(Sources().Contains("Npgsql")), TimeSpan.FromSeconds(10)),
            "sources in the trace: " + string.Join(", ", Sources()));
        var sources = Sources();
        Assert.Contains("Microsoft.AspNetCore", sources);
        Assert.Contains(sources, s => s.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains("ProfileGrains.Storage", sources);
        Assert.Contains(captured, a => a.TraceId == trace && a.Source.Name == "Npgsql" && a.Parent?.Source.Name == "ProfileGrains.Storage");
    }
}
