using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Api;
using Google.Protobuf.Reflection;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// The same services as JSON over HTTP (google.api.http in the protos): resource-style paths, protobuf's JSON mapping,
/// gRPC statuses as HTTP statuses with the google.rpc.Status as the body, and an OpenAPI document.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RestTests(EngineFixture engine) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = engine.WebAddress };

    public void Dispose() => _http.Dispose();

    private static string NewEmail(string local) => ProfileGrains.TestSupport.TestData.Email(local).Value;

    private async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task A_shell_script_identifies_tracks_reads_and_looks_up_in_json()
    {
        var email = NewEmail("rest");
        var identified = await Json(await _http.PostAsJsonAsync("/v1/customers:identify", new
        {
            identifiers = new[] { new { type = "IDENTIFIER_TYPE_EMAIL", value = email.ToUpperInvariant() } },
            traits = new { name = new { givenName = "Ana" } },
        }), HttpStatusCode.OK);
        var customerId = identified.GetProperty("customerId").GetString()!;

        var tracked = await Json(await _http.PostAsJsonAsync("/v1/events", new
        {
            @event = new
            {
                eventId = Guid.NewGuid().ToString("N"),
                type = "EVENT_TYPE_PURCHASE",
                occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
                channel = "CHANNEL_STORE",
                identifiers = new[] { new { type = "IDENTIFIER_TYPE_EMAIL", value = email } },
                purchase = new { orderId = "ORD-REST-1", total = new { currencyCode = "EUR", units = 42 }, storeId = "STORE-1", paymentKind = "PAYMENT_KIND_CARD" },
            },
        }), HttpStatusCode.OK);
        Assert.Equal(("TRACK_OUTCOME_ACCEPTED", customerId), (tracked.GetProperty("outcome").GetString(), tracked.GetProperty("customerId").GetString()));

        var profile = await Json(await _http.GetAsync($"/v1/customers/{customerId}"), HttpStatusCode.OK);
        Assert.Equal("Ana", profile.GetProperty("traits").GetProperty("name").GetProperty("givenName").GetString());
        var byEmail = await Json(await _http.GetAsync($"/v1/profile?customer.identifier.type=IDENTIFIER_TYPE_EMAIL&customer.identifier.value={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        Assert.Equal(customerId, byEmail.GetProperty("customerId").GetString());

        var checkout = await Json(await _http.GetAsync($"/v1/lookup?identifier.type=IDENTIFIER_TYPE_EMAIL&identifier.value={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        Assert.Equal("1", checkout.GetProperty("orderCount").ToString());

        var timeline = await Json(await _http.GetAsync($"/v1/customers/{customerId}/timeline?pageSize=5"), HttpStatusCode.OK);
        Assert.Equal("ORD-REST-1", timeline.GetProperty("entries")[0].GetProperty("purchase").GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task Errors_come_back_as_http_statuses_with_the_google_rpc_status_as_body()
    {
        var missing = await Json(await _http.GetAsync($"/v1/lookup?identifier.type=IDENTIFIER_TYPE_EMAIL&identifier.value={Uri.EscapeDataString(NewEmail("nobody"))}"), HttpStatusCode.NotFound);
        Assert.Equal(5, missing.GetProperty("code").GetInt32());

        var malformed = await Json(await _http.PostAsJsonAsync("/v1/events", new { @event = new { eventId = "e-1" } }), HttpStatusCode.BadRequest);
        Assert.Equal(3, malformed.GetProperty("code").GetInt32());
        var violations = malformed.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()).ToList();
        Assert.Contains("event.occurred_at", violations);
        Assert.Contains("event.identifiers", violations);

        using var notJson = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync("/v1/events", notJson)).StatusCode);
    }

    [Fact]
    public async Task Segments_are_defined_counted_and_listed_over_rest()
    {
        var segmentId = "rest-" + Guid.NewGuid().ToString("N")[..12];
        var put = await Json(await _http.PutAsJsonAsync($"/v1/segments/{segmentId}", new
        {
            segmentId,
            name = "REST buyers",
            rule = new { allOf = new[] { new { expression = "orders >= 1" } } },
        }), HttpStatusCode.OK);
        Assert.Equal(segmentId, put.GetProperty("segmentId").GetString());

        await Json(await _http.GetAsync($"/v1/segments/{segmentId}/count"), HttpStatusCode.OK);
        var listed = await Json(await _http.GetAsync("/v1/segments"), HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("segments").EnumerateArray(), s => s.GetProperty("segmentId").GetString() == segmentId);

        var bad = await Json(await _http.PutAsJsonAsync($"/v1/segments/{segmentId}", new { segmentId, name = "x", rule = new { allOf = new[] { new { expression = "orders >=" } } } }), HttpStatusCode.BadRequest);
        Assert.Equal(3, bad.GetProperty("code").GetInt32());
        await Json(await _http.DeleteAsync($"/v1/segments/{segmentId}"), HttpStatusCode.OK);
    }

    /// <summary>Every RPC with a REST mapping answers on it in JSON (NOT_FOUND included): no route was left out.</summary>
    public static TheoryData<string, string, string> Routes()
    {
        var routes = new TheoryData<string, string, string>();
        foreach (var method in ProfilegrainsReflection.Descriptor.Services.SelectMany(s => s.Methods))
        {
            if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is { } rule)
            {
                var (verb, path) = rule.PatternCase switch
                {
                    HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
                    HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
                    HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
                    HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
                    HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
                    _ => throw new InvalidOperationException(method.Name),
                };
                routes.Add(method.Name, verb, System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", "none"));
            }
        }

        return routes;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_public_rpc_answers_on_its_rest_route(string rpc, string verb, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), path);
        if (verb is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode != HttpStatusCode.MethodNotAllowed, $"{rpc}: {verb} {path} is not routed");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{rpc}: {verb} {path} answered {(int)response.StatusCode} '{body}'");
        Assert.True((int)response.StatusCode < 500, $"{rpc}: {verb} {path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task An_openapi_document_describes_the_rest_routes()
    {
        var document = await Json(await _http.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/v1/customers/{customer.customerId}", paths);
        Assert.Contains("/v1/events", paths);
        Assert.Contains("/v1/segments/{segmentId}/members", paths);
    }
}
