namespace ProfileGrains.Domain.Tests;

/// <summary>
/// Enrichment is owed after a profile is loaded or changed, and paid when first read: most reads (a lookup at the till)
/// never need it, and deriving it parses the phone number.
/// </summary>
public sealed class ProfileEnrichmentTests
{
    [Fact]
    public void Enrichment_is_derived_when_first_read_after_a_change_and_only_then()
    {
        var counting = new CountingEnricher();
        var enrichers = new ProfileEnrichers([counting]);
        var profile = new CustomerProfile();
        Assert.Null(profile.Enriched["runs"]);

        profile.Enrich(enrichers);
        Assert.Equal(0, counting.Runs);
        Assert.Equal("1", profile.Enriched["runs"]);
        Assert.Equal("1", profile.Enriched["runs"]);
        Assert.Equal(1, counting.Runs);

        profile.Enrich(enrichers);
        profile.Enrich(enrichers);
        Assert.Equal("2", profile.Enriched["runs"]);
        Assert.Equal(2, counting.Runs);
    }

    private sealed class CountingEnricher : IProfileEnricher
    {
        public int Runs { get; private set; }

        public IReadOnlySet<string> Reads { get; } = new HashSet<string> { "traits" };

        public void Enrich(CustomerProfile profile, IDictionary<string, string> into) => into["runs"] = (++Runs).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
