using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Cli.Audience;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// A segment leaving the engine: an export equal to the member list (with a consent filter), and a sync that survives
/// a restart without losing or duplicating a change.
/// </summary>
[Collection(SegmentEngineCollection.Name)]
public sealed class AudienceTests(SegmentEngineFixture engine) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("profilegrains-audience-");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task<string> Cohort(string tag)
    {
        var segmentId = "cohort-" + tag;
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment { SegmentId = segmentId, Name = segmentId, Rule = new SegmentRule { AllOf = { new Condition { Expression = $"attribute(\"cohort\") == \"{tag}\"" } } } },
        });
        return segmentId;
    }

    private async Task<(string CustomerId, Identifier Email)> Join(string tag, bool emailConsent = false)
    {
        var email = Email("audience");
        var traits = new ProfileTraits { CustomAttributes = { ["cohort"] = tag }, Name = new PersonName { GivenName = "Member" } };
        if (emailConsent)
        {
            traits.Consents.Add(Consent(ContactChannel.Email, ConsentStatus.Granted, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var identified = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = traits });
        return (identified.CustomerId, email);
    }

    private async Task Leave(string customerId) =>
        await engine.Profiles.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { CustomAttributes = { ["cohort"] = "left" } },
            UpdateMask = new FieldMask { Paths = { "custom_attributes.cohort" } },
        });

    private async Task<HashSet<string>> Members(string segmentId)
    {
        var members = new HashSet<string>();
        await foreach (var page in SegmentPages.Read(engine.Segments, segmentId))
        {
            members.UnionWith(page.CustomerIds);
        }

        return members;
    }

    [Fact]
    public async Task An_export_holds_exactly_the_members_with_the_fields_asked_and_the_consent_filter_applies()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var segmentId = await Cohort(tag);
        var joined = new List<(string CustomerId, Identifier Email, bool Consent)>();
        for (var i = 0; i < 40; i++)
        {
            var (id, email) = await Join(tag, emailConsent: i % 4 == 0);
            joined.Add((id, email, i % 4 == 0));
        }

        Assert.True(await Eventually(async () => (await Members(segmentId)).Count == 40, TimeSpan.FromSeconds(10)));
        var export = new AudienceExport(engine.Profiles, engine.Segments);

        var all = new StringWriter();
        var (members, written) = await export.RunAsync(segmentId, ["customer_id", "email", "given_name"], all, csv: true);
        var rows = all.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        Assert.Equal(["customer_id", "email", "given_name"], rows[0]);
        Assert.Equal((40L, 40L), (members, written));
        Assert.Equal(await Members(segmentId), rows.Skip(1).Select(r => r[0]).ToHashSet());
        Assert.All(rows.Skip(1), r => Assert.Equal(joined.Single(j => j.CustomerId == r[0]).Email.Value, r[1]));

        var consented = new StringWriter();
        await export.RunAsync(segmentId, ["customer_id", "consent_email"], consented, csv: false, consent: ContactChannel.Email);
        var lines = consented.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(joined.Where(j => j.Consent).Select(j => j.CustomerId).Order(), lines.Select(l => l.GetProperty("customer_id").GetString()!).Order());
        Assert.All(lines, l => Assert.Equal("Granted", l.GetProperty("consent_email").GetString()));
    }

    [Fact]
    public async Task A_sync_survives_a_restart_without_losing_or_duplicating_a_change()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var segmentId = await Cohort(tag);
        var early = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            early.Add((await Join(tag)).CustomerId);
        }

        Assert.True(await Eventually(async () => (await Members(segmentId)).Count == 5, TimeSpan.FromSeconds(10)));
        var output = Path.Combine(_directory.FullName, "audience.jsonl");
        var cursor = Path.Combine(_directory.FullName, "audience.cursor");
        List<AudienceChange> Delivered() => File.Exists(output)
            ? [.. File.ReadAllLines(output).Select(l => JsonSerializer.Deserialize<AudienceChange>(l, JsonSerializerOptions.Web)!)]
            : [];

        async Task RunUntil(Func<List<AudienceChange>, bool> done)
        {
            using var stop = new CancellationTokenSource();
            var sync = new AudienceSync(engine.Segments, new FileAudienceSink(output), cursor).RunAsync(segmentId, stop.Token);
            var reached = await Eventually(() => Task.FromResult(done(Delivered())), TimeSpan.FromSeconds(20));
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
            Assert.True(reached, "the sync did not deliver what was expected: " + string.Join("; ", Delivered().Select(c => $"{c.Change} {c.CustomerId}")));
        }

        // First run: the current members as a snapshot, then live changes.
        var late = (await Join(tag)).CustomerId;
        await RunUntil(d => d.Count(c => c.Change == "enter") >= 6);
        await Leave(early[0]);
        var joinedWhileRunning = (await Join(tag)).CustomerId;
        await RunUntil(d => d.Any(c => c.CustomerId == early[0] && c.Change == "exit") && d.Any(c => c.CustomerId == joinedWhileRunning));

        // Stopped: changes keep happening.
        await Leave(early[1]);
        await Leave(late);
        var joinedWhileStopped = (await Join(tag)).CustomerId;
        Assert.True(await Eventually(async () => !(await Members(segmentId)).Contains(late), TimeSpan.FromSeconds(10)));

        // Restarted: it resumes after the last change it delivered.
        await RunUntil(d => d.Any(c => c.CustomerId == joinedWhileStopped) && d.Any(c => c.CustomerId == late && c.Change == "exit") && d.Any(c => c.CustomerId == early[1] && c.Change == "exit"));

        var delivered = Delivered();
        var cursors = delivered.Where(c => c.Cursor is not null).Select(c => c.Cursor).ToList();
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
        Assert.Equal(delivered.Count, delivered.Select(c => (c.CustomerId, c.Change, c.Cursor)).Distinct().Count());
        var replayed = new HashSet<string>();
        foreach (var change in delivered)
        {
            if (change.Change == "enter")
            {
                replayed.Add(change.CustomerId);
            }
            else
            {
                replayed.Remove(change.CustomerId);
            }
        }

        Assert.Equal(await Members(segmentId), replayed);
    }

    [Fact]
    public async Task A_webhook_that_fails_at_first_still_receives_every_change_once_in_order_per_customer()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var segmentId = await Cohort(tag);
        var first = (await Join(tag)).CustomerId;
        Assert.True(await Eventually(async () => (await Members(segmentId)).Count == 1, TimeSpan.FromSeconds(10)));

        // A real HTTP receiver on loopback that answers 503 to its first two calls, then 204.
        var port = FreePort();
        using var receiver = new System.Net.HttpListener { Prefixes = { $"http://127.0.0.1:{port}/hook/" } };
        receiver.Start();
        var received = new List<AudienceChange>();
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await receiver.GetContextAsync().WaitAsync(stop.Token);
                calls++;
                if (calls <= 2)
                {
                    context.Response.StatusCode = 503;
                }
                else
                {
                    var change = await JsonSerializer.DeserializeAsync<AudienceChange>(context.Request.InputStream, JsonSerializerOptions.Web);
                    lock (received)
                    {
                        received.Add(change!);
                    }

                    context.Response.StatusCode = 204;
                }

                context.Response.Close();
            }
        });

        using var http = new HttpClient();
        var sink = new WebhookAudienceSink(http, new Uri($"http://127.0.0.1:{port}/hook/"));
        var sync = new AudienceSync(engine.Segments, sink, Path.Combine(_directory.FullName, "hook.cursor")).RunAsync(segmentId, stop.Token);
        List<AudienceChange> Received()
        {
            lock (received)
            {
                return [.. received];
            }
        }

        // The member list first (through the refusals), then live changes.
        Assert.True(await Eventually(() => Task.FromResult(Received().Count == 1), TimeSpan.FromSeconds(20)), "the member list was not delivered");
        var second = (await Join(tag)).CustomerId;
        await Leave(first);

        var done = await Eventually(() => Task.FromResult(Received().Count >= 3), TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
        Assert.True(done, "received: " + string.Join("; ", Received().Select(c => $"{c.Change} {c.CustomerId}")));
        // Each change once; in order per customer (changes of different customers come from different shards).
        var got = Received().Select(c => (c.CustomerId, c.Change)).ToList();
        Assert.Equal(new[] { (first, "enter"), (first, "exit"), (second, "enter") }.Order(), got.Order());
        Assert.True(got.IndexOf((first, "enter")) < got.IndexOf((first, "exit")));
        Assert.True(calls >= 5, $"the two refusals were not retried ({calls} calls)");
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
