using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// A customer's own access: a backend holding the self-service scope issues a token, with which the customer reads,
/// corrects, exports and erases their own record, and reaches nothing else.
/// </summary>
[Collection(SecuredEngineCollection.Name)]
public sealed class SelfServiceTests(SecuredEngineFixture engine)
{
    [Fact]
    public async Task A_customer_reads_corrects_their_consents_exports_and_erases_their_own_record()
    {
        var (customerId, email, token) = await CustomerWithToken("self");

        var mine = await engine.Self.GetMyProfileAsync(new GetMyProfileRequest(), Bearer(token));
        Assert.Equal(customerId, mine.CustomerId);
        Assert.Equal("Chloé", mine.Traits.Name.GivenName);

        var corrected = await engine.Self.UpdateMyProfileAsync(new UpdateMyProfileRequest
        {
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Chloe" },
                Consents = { Consent(ContactChannel.Email, ConsentStatus.Withdrawn, Now(), source: "self-service") },
            },
            UpdateMask = new FieldMask { Paths = { "name.given_name", "consents" } },
        }, Bearer(token));
        Assert.Equal("Chloe", corrected.Traits.Name.GivenName);
        Assert.Equal(ConsentStatus.Withdrawn, corrected.Traits.Consents.Single(c => c.Channel == ContactChannel.Email).Status);

        var export = await engine.Self.ExportMyRecordAsync(new ExportMyRecordRequest(), Bearer(token));
        Assert.Equal(customerId, export.Profile.CustomerId);
        Assert.Equal([ConsentStatus.Granted, ConsentStatus.Withdrawn], export.ConsentHistory.Select(c => c.Status));

        var erased = await engine.Self.EraseMeAsync(new EraseMeRequest { RequestId = "self-erase-" + Guid.NewGuid().ToString("N") }, Bearer(token));
        Assert.Equal(customerId, erased.CustomerId);
        await RpcAssert.NotFound(() => engine.Profiles.LookupAsync(new LookupRequest { Identifier = email }, Key("lookup")).ResponseAsync);
        await RpcAssert.NotFound(() => engine.Self.GetMyProfileAsync(new GetMyProfileRequest(), Bearer(token)).ResponseAsync);
    }

    [Fact]
    public async Task A_customer_token_is_refused_by_every_rpc_but_the_customers_own()
    {
        var (_, _, token) = await CustomerWithToken("reach");
        await CustomerWithToken("other");

        foreach (var (rpc, scope, call) in SecurityTests.Matrix.Where(r => r.Scope != "self"))
        {
            var status = await SecurityTests.StatusOf(() => call(engine, Bearer(token)));
            Assert.True(status == StatusCode.PermissionDenied, $"{rpc} with a customer token: {status}");
        }
    }

    [Fact]
    public async Task Altered_forged_and_expired_tokens_are_refused()
    {
        var (customerId, _, token) = await CustomerWithToken("forged");
        var (otherId, _, _) = await CustomerWithToken("victim");

        var altered = token.Replace(customerId, otherId, StringComparison.Ordinal);
        var forged = Forge(otherId, DateTimeOffset.UtcNow.AddMinutes(5), "an-attackers-guess-at-the-secret-0000000");
        var shortLived = await engine.Profiles.IssueCustomerTokenAsync(
            new IssueCustomerTokenRequest { Customer = ById(customerId), ValidFor = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }, Key("self-service"));
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        foreach (var bad in new[] { altered, forged, shortLived.Token, token + "x", "pgc1.", "pgc1.." + new string('a', 300) })
        {
            Assert.Equal(StatusCode.Unauthenticated, await SecurityTests.StatusOf(() => engine.Self.GetMyProfileAsync(new GetMyProfileRequest(), Bearer(bad)).ResponseAsync));
        }

        // The same form signed with the engine's secret is accepted: the refusals above are the signature's and the expiry's.
        var genuine = Forge(otherId, DateTimeOffset.UtcNow.AddMinutes(5), SecuredEngineFixture.CustomerTokenSecret);
        Assert.Equal(otherId, (await engine.Self.GetMyProfileAsync(new GetMyProfileRequest(), Bearer(genuine))).CustomerId);
    }

    [Fact]
    public async Task Traits_that_are_the_retailers_and_overlong_tokens_are_refused()
    {
        var (customerId, _, token) = await CustomerWithToken("tier");

        var refused = await Assert.ThrowsAsync<RpcException>(() => engine.Self.UpdateMyProfileAsync(new UpdateMyProfileRequest
        {
            Traits = new ProfileTraits { LoyaltyTier = "platinum" },
            UpdateMask = new FieldMask { Paths = { "loyalty_tier" } },
        }, Bearer(token)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(string.Empty, (await engine.Self.GetMyProfileAsync(new GetMyProfileRequest(), Bearer(token))).Traits.LoyaltyTier);

        var overlong = await Assert.ThrowsAsync<RpcException>(() => engine.Profiles.IssueCustomerTokenAsync(
            new IssueCustomerTokenRequest { Customer = ById(customerId), ValidFor = Duration.FromTimeSpan(TimeSpan.FromHours(2)) }, Key("self-service")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, overlong.StatusCode);
        foreach (var absurd in new[] { new Duration { Seconds = long.MaxValue }, new Duration { Seconds = -5 }, new Duration { Seconds = 1, Nanos = -1 } })
        {
            await RpcAssert.InvalidArgumentOnlyOn(
                () => engine.Profiles.IssueCustomerTokenAsync(new IssueCustomerTokenRequest { Customer = ById(customerId), ValidFor = absurd }, Key("self-service")).ResponseAsync,
                "valid_for");
        }

        await RpcAssert.NotFound(() => engine.Profiles.IssueCustomerTokenAsync(
            new IssueCustomerTokenRequest { Customer = ByIdentifier(Email("nobody-self")) }, Key("self-service")).ResponseAsync);
    }

    private async Task<(string CustomerId, Identifier Email, string Token)> CustomerWithToken(string tag)
    {
        var email = Email(tag);
        var created = await engine.Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Chloé" },
                Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-3)) },
            },
        }, Key("ingest"));
        var issued = await engine.Profiles.IssueCustomerTokenAsync(new IssueCustomerTokenRequest { Customer = ByIdentifier(email) }, Key("self-service"));
        Assert.Equal(created.CustomerId, issued.CustomerId);
        Assert.InRange(issued.ExpiresAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
        return (created.CustomerId, email, issued.Token);
    }

    /// <summary>A token in the engine's format, signed with <paramref name="secret"/>.</summary>
    private static string Forge(string customerId, DateTimeOffset expiresAt, string secret)
    {
        var body = $"pgc1.{customerId}.{expiresAt.ToUnixTimeSeconds()}";
        return body + "." + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
    }

    private static Metadata Key(string scope) => SecurityTests.Bearer(SecuredEngineFixture.KeyOfScope[scope]);

    private static Metadata Bearer(string token) => SecurityTests.Bearer(token);
}
