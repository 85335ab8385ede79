using System.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Host;
using ProfileGrains.Host.Grpc;
using ProfileGrains.Protos;
using ProfileGrains.Protos.V1;
using ProfileGrains.TestSupport;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>Who may call what, through real gRPC calls to an engine with API keys configured.</summary>
[Collection(SecuredEngineCollection.Name)]
public sealed class SecurityTests(SecuredEngineFixture engine)
{
    private const string UnknownKey = "not-a-configured-key-0000";

    /// <summary>Every RPC, the scope it needs, and a call that would get past authorization.</summary>
    private static readonly (string Rpc, string Scope, Func<SecuredEngineFixture, Metadata, Task> Call)[] Rpcs =
    [
        ("Identify", "ingest", (e, h) => e.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("sec") } }, h).ResponseAsync),
        ("Track", "ingest", (e, h) => e.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, Email("sec")) }, h).ResponseAsync),
        ("TrackBatch", "ingest", (e, h) => e.Profiles.TrackBatchAsync(new TrackBatchRequest { Events = { Event(EventType.PageView, Email("sec")) } }, h).ResponseAsync),
        ("UpdateProfile", "ingest", (e, h) => e.Profiles.UpdateProfileAsync(new UpdateProfileRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("Lookup", "lookup", (e, h) => e.Profiles.LookupAsync(new LookupRequest { Identifier = Email("nobody") }, h).ResponseAsync),
        ("GetPersonalization", "lookup", (e, h) => e.Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = Email("nobody") }, h).ResponseAsync),
        ("CanContact", "lookup", (e, h) => e.Profiles.CanContactAsync(new CanContactRequest { Identifier = Email("nobody"), Channel = ContactChannel.Email }, h).ResponseAsync),
        ("GetProfile", "read", (e, h) => e.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("GetTimeline", "read", (e, h) => e.Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("ExplainIdentity", "read", (e, h) => e.Profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = Email("nobody") }, h).ResponseAsync),
        ("GetCustomerSegments", "read", (e, h) => e.Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("GetSegment", "read", (e, h) => e.Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = "none" }, h).ResponseAsync),
        ("ListSegments", "read", (e, h) => e.Segments.ListSegmentsAsync(new ListSegmentsRequest(), h).ResponseAsync),
        ("CountSegmentMembers", "read", (e, h) => e.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = "none" }, h).ResponseAsync),
        ("ListSegmentMembers", "read", (e, h) => e.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = "none" }, h).ResponseAsync),
        ("WatchSegment", "read", (e, h) => e.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = "none" }, h).ResponseStream.MoveNext(CancellationToken.None)),
        ("GetCampaign", "read", (e, h) => e.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = "none" }, h).ResponseAsync),
        ("ListCampaigns", "read", (e, h) => e.Campaigns.ListCampaignsAsync(new ListCampaignsRequest(), h).ResponseAsync),
        ("GetSegmentCampaigns", "read", (e, h) => e.Campaigns.GetSegmentCampaignsAsync(new GetSegmentCampaignsRequest { SegmentId = "none" }, h).ResponseAsync),
        ("GetCustomerBase", "read", (e, h) => e.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 10 }, h).ResponseAsync),
        ("EstimateSegment", "read", (e, h) => e.Insights.EstimateSegmentAsync(new EstimateSegmentRequest(), h).ResponseAsync),
        ("PutSegment", "segments:write", (e, h) => e.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = new Segment { SegmentId = "bad id!" } }, h).ResponseAsync),
        ("DeleteSegment", "segments:write", (e, h) => e.Segments.DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = "none" }, h).ResponseAsync),
        ("EraseCustomer", "privacy", (e, h) => e.Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("ExportCustomer", "privacy", (e, h) => e.Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),
        ("ListQuarantinedIdentifiers", "admin", (e, h) => e.Profiles.ListQuarantinedIdentifiersAsync(new ListQuarantinedIdentifiersRequest(), h).ResponseAsync),
        ("ReleaseQuarantine", "admin", (e, h) => e.Profiles.ReleaseQuarantineAsync(new ReleaseQuarantineRequest { Identifier = Email("nobody"), Reason = "test" }, h).ResponseAsync),
        ("UnmergeCustomers", "admin", (e, h) => e.Profiles.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = "a>b", Reason = "test" }, h).ResponseAsync),
        ("ReplaceDoNotCallList", "admin", async (e, h) =>
        {
            using var call = e.Profiles.ReplaceDoNotCallList(h);
            try
            {
                await call.RequestStream.WriteAsync(new DoNotCallListChunk { Sha256Hex = { "not-hex" } });
                await call.RequestStream.CompleteAsync();
            }
            catch (Exception writing) when (writing is RpcException or InvalidOperationException)
            {
                // A refused call may end before the request is written: only the response tells why.
            }

            await call.ResponseAsync;
        }),
        ("GetServerStats", "admin", (e, h) => e.Diagnostics.GetServerStatsAsync(new ServerStatsRequest(), h).ResponseAsync),
        ("IssueCustomerToken", "self-service", (e, h) => e.Profiles.IssueCustomerTokenAsync(new IssueCustomerTokenRequest { Customer = ByIdentifier(Email("nobody")) }, h).ResponseAsync),

        // Held by no key: only a customer token opens them (SelfServiceTests).
        ("GetMyProfile", "self", (e, h) => e.Self.GetMyProfileAsync(new GetMyProfileRequest(), h).ResponseAsync),
        ("UpdateMyProfile", "self", (e, h) => e.Self.UpdateMyProfileAsync(new UpdateMyProfileRequest(), h).ResponseAsync),
        ("ExportMyRecord", "self", (e, h) => e.Self.ExportMyRecordAsync(new ExportMyRecordRequest(), h).ResponseAsync),
        ("EraseMe", "self", (e, h) => e.Self.EraseMeAsync(new EraseMeRequest(), h).ResponseAsync),
    ];

    /// <summary>The RPCs a customer token opens; every other one refuses it.</summary>
    public static IReadOnlyList<(string Rpc, string Scope, Func<SecuredEngineFixture, Metadata, Task> Call)> Matrix => Rpcs;

    public static TheoryData<string> RpcNames => [.. Rpcs.Select(r => r.Rpc)];

    [Fact]
    public async Task Rest_routes_the_metrics_and_the_dashboard_need_the_same_keys_and_scopes_as_gRPC()
    {
        using var handler = new HttpClientHandler
        {
            // The engine's self-signed test certificate, and nothing else, is trusted.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == TestCertificate.Public.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = engine.WebAddress };
        async Task<System.Net.HttpStatusCode> Get(string path, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        const string Profile = "/v1/customers/nobody";
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Get(Profile, null));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await Get(Profile, SecuredEngineFixture.KeyOfScope["lookup"]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, await Get(Profile, SecuredEngineFixture.KeyOfScope["read"]));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Get("/metrics", null));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await Get("/metrics", SecuredEngineFixture.KeyOfScope["read"]));
        Assert.Equal(System.Net.HttpStatusCode.OK, await Get("/metrics", SecuredEngineFixture.KeyOfScope["admin"]));

        // The Orleans Dashboard (on in this engine), for admin keys only.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Get("/dashboard/", null));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await Get("/dashboard/", SecuredEngineFixture.KeyOfScope["read"]));
        Assert.Equal(System.Net.HttpStatusCode.OK, await Get("/dashboard/", SecuredEngineFixture.KeyOfScope["admin"]));
    }

    [Fact]
    public void Every_rpc_of_every_service_is_in_the_matrix()
    {
        // Echo answers any valid key (Scopes.Authenticated); DiscoveryTests covers it.
        var declared = ProfilegrainsReflection.Descriptor.Services.SelectMany(s => s.Methods).Select(m => m.Name).Where(m => m != "Echo");
        Assert.Equal(declared.Order(StringComparer.Ordinal), Rpcs.Select(r => r.Rpc).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RpcNames))]
    public async Task Each_rpc_needs_a_known_key_holding_its_scope(string rpc)
    {
        var (_, scope, call) = Rpcs.Single(r => r.Rpc == rpc);

        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(() => call(engine, [])));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(() => call(engine, Bearer(UnknownKey))));
        foreach (var (held, key) in SecuredEngineFixture.KeyOfScope)
        {
            var status = await StatusOf(() => call(engine, Bearer(key)));
            if (held == scope)
            {
                Assert.True(status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied), $"{rpc} with a '{held}' key: {status}");
            }
            else
            {
                Assert.True(status == StatusCode.PermissionDenied, $"{rpc} with a '{held}' key: {status}");
            }
        }
    }

    [Fact]
    public async Task A_key_configured_by_its_hash_and_a_key_with_two_scopes_work_as_configured()
    {
        var email = Email("website");
        var created = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } }, Bearer(SecuredEngineFixture.WebsiteKey));
        var lookup = await engine.Profiles.LookupAsync(new LookupRequest { Identifier = email }, Bearer(SecuredEngineFixture.WebsiteKey));
        var read = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(created.CustomerId) }, Bearer(SecuredEngineFixture.HashedReadKey));

        Assert.Equal(created.CustomerId, lookup.CustomerId);
        Assert.Equal(created.CustomerId, read.CustomerId);
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() =>
            engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(created.CustomerId) }, Bearer(SecuredEngineFixture.WebsiteKey)).ResponseAsync));
    }

    [Fact]
    public async Task A_caller_that_may_not_read_cannot_tell_a_customer_from_nobody()
    {
        var email = Email("exists");
        await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } }, Bearer(SecuredEngineFixture.WebsiteKey));

        var existing = await StatusOf(() => engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) }, Bearer(SecuredEngineFixture.WebsiteKey)).ResponseAsync);
        var missing = await StatusOf(() => engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Email("never")) }, Bearer(SecuredEngineFixture.WebsiteKey)).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (existing, missing));
    }

    [Fact]
    public async Task Health_stays_open_echo_needs_any_key_and_reflection_is_off()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(engine.Channel);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest())).Status);
        var echo = new EchoRequest { Payload = Google.Protobuf.ByteString.CopyFromUtf8("ping") };
        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(() => engine.Diagnostics.EchoAsync(echo).ResponseAsync));
        Assert.Equal("ping", (await engine.Diagnostics.EchoAsync(echo, Bearer(SecuredEngineFixture.KeyOfScope["lookup"]))).Payload.ToStringUtf8());

        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(engine.Channel);
        using var call = reflection.ServerReflectionInfo(Bearer(SecuredEngineFixture.KeyOfScope["admin"]), deadline: DateTime.UtcNow.AddSeconds(5));
        // The server may end the call (unimplemented) before the request is written: only the response tells.
        var status = await StatusOf(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unimplemented, status);
    }

    [Fact]
    public async Task A_key_over_its_calls_per_second_gets_resource_exhausted_with_a_retry_delay()
    {
        var limited = Bearer(SecuredEngineFixture.LimitedKey);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            Outcome(() => engine.Profiles.LookupAsync(new LookupRequest { Identifier = Email("nobody") }, limited).ResponseAsync)));

        var refused = statuses.Where(s => s.Status == StatusCode.ResourceExhausted).ToList();
        Assert.InRange(statuses.Length - refused.Count, 1, 10); // a bucket of five, plus what refilled meanwhile
        Assert.NotEmpty(refused);
        var retry = refused[0].Error!.GetRpcStatus()!.GetDetail<Google.Rpc.RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));

        // Other keys are not affected, and the bucket refills.
        Assert.Equal(StatusCode.NotFound, await StatusOf(() => engine.Profiles.LookupAsync(new LookupRequest { Identifier = Email("nobody") }, Bearer(SecuredEngineFixture.WebsiteKey)).ResponseAsync));
        await Task.Delay(1200);
        Assert.Equal(StatusCode.NotFound, await StatusOf(() => engine.Profiles.LookupAsync(new LookupRequest { Identifier = Email("nobody") }, limited).ResponseAsync));
    }

    [Fact]
    public async Task A_key_holding_its_streams_cannot_open_another_until_one_closes()
    {
        var segmentId = Unique("sec-watch").Replace("-", "_", StringComparison.Ordinal)[..30];
        await engine.Segments.PutSegmentAsync(
            new PutSegmentRequest { Segment = new Segment { SegmentId = segmentId, Name = "Watched", Rule = new SegmentRule { AllOf = { new Condition { Expression = "orders >= 1" } } } } },
            Bearer(SecuredEngineFixture.KeyOfScope["segments:write"]));
        await Task.Delay(1200); // the rate test may have emptied this key's bucket
        var limited = Bearer(SecuredEngineFixture.LimitedKey);

        using var first = engine.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId }, limited);
        await Task.Delay(500);
        using var second = engine.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId }, limited);
        var refused = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);

        first.Dispose();
        await Task.Delay(500);
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        using var third = engine.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId }, limited, cancellationToken: quiet.Token);
        var ended = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext(quiet.Token));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode); // it stayed open, waiting for changes, until we left

        // A stream that delivers nothing is ended after the idle timeout (3 s here), giving its slot back.
        await Task.Delay(500);
        var idle = System.Diagnostics.Stopwatch.StartNew();
        using var forgotten = engine.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId }, limited);
        Assert.False(await forgotten.ResponseStream.MoveNext(CancellationToken.None));
        Assert.InRange(idle.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Calls_travel_over_tls_only_to_clients_that_trust_the_certificate()
    {
        Assert.Equal(Uri.UriSchemeHttps, engine.Address.Scheme);
        var lookup = new LookupRequest { Identifier = Email("nobody") };
        Assert.Equal(StatusCode.NotFound, await StatusOf(() => engine.Profiles.LookupAsync(lookup, Bearer(SecuredEngineFixture.WebsiteKey)).ResponseAsync));

        // A client that does not trust the self-signed certificate never gets to send its key.
        using var untrusting = new EngineCredentials { ApiKey = SecuredEngineFixture.WebsiteKey }.OpenChannel(engine.Address);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new ProfileService.ProfileServiceClient(untrusting).LookupAsync(lookup).ResponseAsync);
        Assert.Contains(Causes(refused), e => e is System.Security.Authentication.AuthenticationException);

        // Nor does one speaking plain h2c to the TLS port.
        using var plain = new EngineCredentials { ApiKey = SecuredEngineFixture.WebsiteKey }.OpenChannel(new UriBuilder(engine.Address) { Scheme = Uri.UriSchemeHttp }.Uri);
        Assert.NotEqual(StatusCode.NotFound, await StatusOf(() => new ProfileService.ProfileServiceClient(plain).LookupAsync(lookup).ResponseAsync));

        // A certificate for another name is refused even when its root is the trusted one.
        Assert.False(EngineCredentials.IsTrusted(TestCertificate.Public, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, TestCertificate.Public));
    }

    [Fact]
    public void Without_keys_the_engine_refuses_to_listen_beyond_loopback()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ProfileGrainsHost.Build(["--ProfileGrains:ListenAddress=0.0.0.0", "--ProfileGrains:GrpcPort=0"]));

        Assert.Contains("not loopback", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ProfileGrains:Auth:ApiKeys", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ProfileGrainsHost.Build(["--ProfileGrains:Auth:ApiKeys:short:Key=too-short", "--ProfileGrains:Auth:ApiKeys:short:Scopes=read"]));
        Assert.Throws<InvalidOperationException>(() => ProfileGrainsHost.Build(["--ProfileGrains:Auth:ApiKeys:x:Key=long-enough-key-000", "--ProfileGrains:Auth:ApiKeys:x:Scopes=everything"]));
    }

    [Fact]
    public void Every_rpc_of_every_service_names_the_scope_it_needs()
    {
        var rpcs = new[] { typeof(ProfileGrpcService), typeof(SegmentGrpcService), typeof(DiagnosticsGrpcService), typeof(SelfGrpcService), typeof(CampaignGrpcService), typeof(InsightGrpcService) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetBaseDefinition().DeclaringType != m.DeclaringType && m.GetBaseDefinition().DeclaringType?.Namespace == typeof(Profile).Namespace)
            .ToList();

        Assert.Equal(Rpcs.Length + 1, rpcs.Count); // + Echo
        Assert.All(rpcs, m => Assert.NotNull(m.GetCustomAttribute<AuthorizeAttribute>()));
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? e = error is RpcException rpc ? rpc.Status.DebugException : error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    public static Metadata Bearer(string key) => [new("authorization", "Bearer " + key)];

    private static async Task<(StatusCode Status, RpcException? Error)> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return (StatusCode.OK, null);
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e);
        }
    }

    public static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
