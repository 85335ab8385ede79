using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Grains;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>Retention: customers quiet for longer than the configured period are erased by the engine itself, and counted.</summary>
[Collection(RetentionEngineCollection.Name)]
public sealed class RetentionTests(RetentionEngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    [Fact]
    public async Task Customers_quiet_for_longer_than_the_period_are_erased_and_counted_and_active_ones_stay()
    {
        using var erasedCount = new ErasureCounter(engine.Services.GetRequiredService<IMeterFactory>());
        var (quietEmail, quietDevice, activeEmail, recentEmail) = (Email("quiet"), Anonymous(), Email("active"), Email("recent"));
        await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, quietDevice) });
        var quiet = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { quietEmail },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Quiet" } },
        });
        var merged = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { quietEmail, quietDevice } });
        Assert.Single(merged.MergedCustomerIds);
        var active = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { activeEmail } });

        // 20 days on: nobody is due yet.
        engine.Clock.Advance(TimeSpan.FromDays(20));
        var recent = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { recentEmail } });
        await Task.Delay(500);
        Assert.Equal(merged.CustomerId, (await Profiles.LookupAsync(new LookupRequest { Identifier = quietEmail })).CustomerId);

        // 31 days after the first contacts: the one who came back since stays, so does the one first seen 11 days ago.
        engine.Clock.Advance(TimeSpan.FromDays(11));
        await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, activeEmail) });

        Assert.True(await Eventually(async () => await IsGone(quietEmail), TimeSpan.FromSeconds(20)), "the quiet customer was not erased");
        await RpcAssert.NotFound(() => Profiles.LookupAsync(new LookupRequest { Identifier = quietDevice }).ResponseAsync);
        foreach (var record in new[] { quiet.CustomerId, merged.CustomerId, merged.MergedCustomerIds[0] })
        {
            await RpcAssert.NotFound(() => Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(record) }).ResponseAsync);
        }

        Assert.Equal(active.CustomerId, (await Profiles.LookupAsync(new LookupRequest { Identifier = activeEmail })).CustomerId);
        Assert.Equal(recent.CustomerId, (await Profiles.LookupAsync(new LookupRequest { Identifier = recentEmail })).CustomerId);
        // Counted once the erasure is done, which is a moment after its identifiers stop answering.
        Assert.True(await Eventually(() => Task.FromResult(erasedCount.Total >= 2), TimeSpan.FromSeconds(10)), "the erasure was not counted");
        Assert.Equal(2, erasedCount.Total);
    }

    private async Task<bool> IsGone(Identifier identifier)
    {
        try
        {
            await Profiles.LookupAsync(new LookupRequest { Identifier = identifier });
            return false;
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return true;
        }
    }

    /// <summary>Sums the retention counter of this engine only (its meter factory), whatever else runs in the process.</summary>
    private sealed class ErasureCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public ErasureCounter(IMeterFactory engineMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Meter.Scope == engineMeters && instrument.Name == "profilegrains.retention.erased")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
