using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains.Tests;

public sealed class ProfileGrainsOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static string[] Failures(params (string Key, string Value)[] settings)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ProfileGrainsOptionsValidator.Load(Configuration(settings)));
        return [.. e.Failures];
    }

    [Fact]
    public void Every_branch_of_the_tree_binds_from_one_section()
    {
        var options = ProfileGrainsOptionsValidator.Load(Configuration(
            ("ProfileGrains:GrpcPort", "6001"),
            ("ProfileGrains:SegmentShards", "32"),
            ("ProfileGrains:Identifiers:DefaultPhoneRegion", "BE"),
            ("ProfileGrains:IdentityProtection:MaxLinksPerIdentifierPerDay", "9"),
            ("ProfileGrains:ContactPolicy:Caps:Sms:MaxMessages", "1"),
            ("ProfileGrains:Scoring:ReportingCurrency", "CHF")));

        Assert.Equal(6001, options.GrpcPort);
        Assert.Equal(32, options.SegmentShards);
        Assert.Equal("BE", options.Identifiers.DefaultPhoneRegion);
        Assert.Equal(9, options.IdentityProtection.MaxLinksPerIdentifierPerDay);
        Assert.Equal(1, options.ContactPolicy.Caps[ContactChannel.Sms].MaxMessages);
        Assert.Equal("CHF", options.Scoring.ReportingCurrency);
    }

    [Fact]
    public void A_bad_value_stops_the_engine_with_the_key_that_holds_it()
    {
        var failures = Failures(
            ("ProfileGrains:SegmentShards", "0"),
            ("ProfileGrains:StateFlushInterval", "-00:00:01"),
            ("ProfileGrains:Storage", "redis"),
            ("ProfileGrains:Identifiers:DefaultPhoneRegion", "XX"),
            ("ProfileGrains:Scoring:MonetaryScore1", "99999"),
            ("ProfileGrains:ConsentPurposes:0", "Research Panel"),
            ("ProfileGrains:RetentionInactivity", "-1.00:00:00"));

        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:SegmentShards must be between 1 and 1024", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:StateFlushInterval must be a positive duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:Storage 'redis' is not supported", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:Identifiers: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:Scoring: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:ConsentPurposes must list", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ProfileGrains:RetentionInactivity must be", StringComparison.Ordinal));
    }

    [Fact]
    public void A_moved_key_is_refused_rather_than_silently_ignored()
    {
        var failures = Failures(("ProfileGrains:DefaultPhoneRegion", "BE"));
        Assert.Equal(["ProfileGrains:DefaultPhoneRegion has moved: set ProfileGrains:Identifiers:DefaultPhoneRegion instead."], failures);
    }

    [Fact]
    public void The_domain_services_are_built_from_their_branch_and_validated_on_start()
    {
        var services = new ServiceCollection()
            .AddProfileGrains(Configuration(("ProfileGrains:Identifiers:DefaultPhoneRegion", "BE"), ("ProfileGrains:Scoring:ReportingCurrency", "CHF")))
            .BuildServiceProvider();

        Assert.True(services.GetRequiredService<IdentifierNormalizer>().TryNormalize(IdentifierType.Phone, "0470 12 34 56", out var phone, out _));
        Assert.StartsWith("+32", phone.Value, StringComparison.Ordinal);
        Assert.Equal("CHF", services.GetRequiredService<ScoringOptions>().ReportingCurrency);

        var invalid = new ServiceCollection().AddProfileGrains(Configuration(("ProfileGrains:WakeupShards", "0"))).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => invalid.GetRequiredService<IOptions<ProfileGrainsOptions>>().Value);
        Assert.Contains(e.Failures, f => f.StartsWith("ProfileGrains:WakeupShards", StringComparison.Ordinal));
    }
}
