using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// What a browser and a scraper see on the web port: gRPC-Web calls as a page's fetch() makes them (HTTP/1.1, framed
/// protobuf, trailers in the body), CORS for the configured storefront only, and the Prometheus metrics.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WebTests(EngineFixture engine) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = engine.WebAddress, DefaultRequestVersion = HttpVersion.Version11 };

    public void Dispose() => _http.Dispose();

    /// <summary>A gRPC-Web call: one length-prefixed message in; the reply message and the trailers frame out.</summary>
    private async Task<(HttpResponseMessage Response, byte[]? Message, string Trailers)> GrpcWeb(string method, IMessage request, string? origin = null)
    {
        var payload = request.ToByteArray();
        var body = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body, 5);
        using var message = new HttpRequestMessage(HttpMethod.Post, method) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web+proto");
        message.Headers.Add("X-Grpc-Web", "1");
        if (origin is not null)
        {
            message.Headers.Add("Origin", origin);
        }

        var response = await _http.SendAsync(message);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        byte[]? reply = null;
        var trailers = string.Empty;
        for (var at = 0; at + 5 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 1));
            var frame = bytes.AsSpan(at + 5, length);
            if ((bytes[at] & 0x80) != 0)
            {
                trailers = System.Text.Encoding.ASCII.GetString(frame);
            }
            else
            {
                reply = frame.ToArray();
            }

            at += 5 + length;
        }

        // A call that fails before any message is "trailers-only": its status comes in the HTTP headers.
        if (trailers.Length == 0 && response.Headers.TryGetValues("grpc-status", out var status))
        {
            trailers = "grpc-status: " + status.Single();
        }

        return (response, reply, trailers.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_tracks_and_looks_up_through_grpc_web_over_http_1_1()
    {
        var email = Email("browser");
        var (tracked, trackReply, trackTrailers) = await GrpcWeb("/profilegrains.v1.ProfileService/Track", new TrackRequest { Event = Event(EventType.PageView, email) }, EngineFixture.AllowedOrigin);

        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.Equal(new Version(1, 1), tracked.Version);
        Assert.Contains("grpc-status:0", trackTrailers, StringComparison.Ordinal);
        Assert.Equal(EngineFixture.AllowedOrigin, tracked.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var customerId = TrackResponse.Parser.ParseFrom(trackReply).CustomerId;

        var (_, lookupReply, _) = await GrpcWeb("/profilegrains.v1.ProfileService/Lookup", new LookupRequest { Identifier = email });
        Assert.Equal(customerId, CheckoutSummary.Parser.ParseFrom(lookupReply).CustomerId);
    }

    [Fact]
    public async Task A_refusal_reaches_the_page_as_a_grpc_status_with_its_details()
    {
        var (response, reply, trailers) = await GrpcWeb("/profilegrains.v1.ProfileService/Lookup", new LookupRequest { Identifier = Email("nobody") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(reply);
        Assert.Contains("grpc-status:5", trailers, StringComparison.Ordinal); // NOT_FOUND

        // Malformed: INVALID_ARGUMENT, with the google.rpc.Status naming the field, as a gRPC client gets it.
        var (refused, _, refusal) = await GrpcWeb("/profilegrains.v1.ProfileService/Lookup", new LookupRequest());
        Assert.Contains("grpc-status:3", refusal, StringComparison.Ordinal);
        var details = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(refused.Headers.GetValues("grpc-status-details-bin").Single()));
        Assert.Contains(details.Details.Single().Unpack<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "identifier");
    }

    [Fact]
    public async Task Cors_preflights_are_answered_for_the_configured_storefront_only()
    {
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/profilegrains.v1.ProfileService/Track");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,x-grpc-web,authorization");
            return await _http.SendAsync(request);
        }

        using var allowed = await Preflight(EngineFixture.AllowedOrigin);
        Assert.True(allowed.IsSuccessStatusCode, $"preflight: {allowed.StatusCode}");
        Assert.Equal(EngineFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        using var other = await Preflight("https://evil.example.test");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        var (tracked, _, _) = await GrpcWeb("/profilegrains.v1.ProfileService/Track", new TrackRequest { Event = Event(EventType.PageView, Email("cors")) }, "https://evil.example.test");
        Assert.False(tracked.Headers.Contains("Access-Control-Allow-Origin")); // the browser will not hand the answer to that page
    }

    [Fact]
    public async Task The_metrics_endpoint_serves_the_engine_and_the_runtime_series_to_prometheus()
    {
        var email = Email("metrics");
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
        await RpcAssert.InvalidArgument(() => engine.Profiles.TrackAsync(new TrackRequest { Event = new Event() }).ResponseAsync);

        string text = string.Empty;
        Assert.True(await Eventually(async () =>
        {
            text = await _http.GetStringAsync("/metrics");
            return text.Contains("profilegrains_events_ingested", StringComparison.Ordinal) && text.Contains("profilegrains_input_rejected", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15)), "engine series missing from /metrics:\n" + text[..Math.Min(text.Length, 2000)]);

        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("/profilegrains.v1.ProfileService/Track", text, StringComparison.Ordinal);
        Assert.Contains("profilegrains_customers_resident", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes", text, StringComparison.Ordinal);
    }
}
