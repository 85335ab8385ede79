using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

/// <summary>
/// Durable mode rebuilds a customer as snapshot + journal replay. Replaying the stored changes must give exactly the
/// profile that answered the callers, and the stored bytes must not depend on CLR type names.
/// </summary>
public sealed class JournalReplayTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly ScoringOptions Scoring = new();

    private static IReadOnlyList<CustomerChange> History()
    {
        var loyalty = new CustomerIdentifier(IdentifierType.LoyaltyId, "LOY12345");
        return
        [
            new IdentifyChange(Now.AddDays(-40), [Email, loyalty], Update(new ProfileTraits { Locale = "fr-FR" }, "locale")),
            new TrackChange(Now.AddDays(-39), Purchase("e1", "o1", Eur(80m), Now.AddDays(-39), Channel.Store, "store-7", Item("SKU-1", "shoes", 1, Eur(80m))), [loyalty]),
            new TrackChange(Now.AddDays(-2), PageView("e2", Now.AddDays(-2)), []),
            // A retry of e1 and a late event that happened before the others: replay must decide them the same way.
            new TrackChange(Now.AddDays(-1), Purchase("e1", "o1", Eur(80m), Now.AddDays(-39), Channel.Store, "store-7"), []),
            new TrackChange(Now.AddHours(-5), PageView("e3", Now.AddDays(-30)), []),
            new TraitsChange(Now.AddHours(-1), Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddHours(-1))] }, "consents")),
            new TrackChange(Now, Product("e4", EventType.AddToCart, "bags", Now.AddMinutes(-3)), []),
        ];
    }

    [Fact]
    public void Replaying_the_stored_changes_rebuilds_the_profile_that_answered()
    {
        var live = new CustomerProfile();
        var outcomes = new List<ChangeOutcome>();
        foreach (var change in History())
        {
            outcomes.Add(CustomerChanges.Apply(live, "cust-1", change));
        }

        var replayed = new CustomerProfile();
        foreach (var change in History())
        {
            var stored = Serializer.Deserialize<CustomerChange>(Serializer.SerializeToArray(change));
            CustomerChanges.Apply(replayed, "cust-1", stored!);
        }

        Assert.Equal(TrackOutcome.Duplicate, outcomes[3].Track);
        Assert.False(outcomes[3].Changed);
        var expected = ProfileView.From(live, Now, Scoring);
        var actual = ProfileView.From(replayed, Now, Scoring);
        // Compared as JSON: the deserialized collections are Lists where the live ones were arrays, with the same contents.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));
        Assert.Equal(2, actual.Counters.Single(c => c.EventType == EventType.PageView).Windows[CounterWindow.Lifetime]);
    }

    [Fact]
    public void Only_changes_that_changed_something_are_journaled()
    {
        var profile = new CustomerProfile();
        Assert.True(CustomerChanges.Apply(profile, "cust-1", new IdentifyChange(Now, [Email], Update(ProfileTraits.Empty))).Changed);
        Assert.False(CustomerChanges.Apply(profile, "cust-1", new IdentifyChange(Now, [Email], Update(ProfileTraits.Empty))).Changed);
        Assert.False(CustomerChanges.Apply(new CustomerProfile(), "cust-2", new TraitsChange(Now, Update(new ProfileTraits { Locale = "fr-FR" }, "locale"))).Changed);
    }

    [Fact]
    public void A_profile_cannot_move_back_in_the_journal()
    {
        var profile = new CustomerProfile();
        profile.MarkJournaled(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.MarkJournaled(3));
        Assert.Equal(3, profile.JournalSequence);
    }

    [Theory]
    [MemberData(nameof(StoredValues))]
    public void Stored_bytes_name_types_by_alias_never_by_clr_name(object value)
    {
        var text = Encoding.UTF8.GetString(Serializer.SerializeToArray(value));
        var clrNames = System.Text.RegularExpressions.Regex.Matches(text, @"[A-Za-z0-9_.`<>]*(ProfileGrains|CustomerProfile)[A-Za-z0-9_.`<>]*")
            .Select(m => m.Value)
            .Where(name => !name.StartsWith("pg.", StringComparison.Ordinal))
            .Distinct();
        Assert.Empty(clrNames);
    }

    public static TheoryData<object> StoredValues()
    {
        var profile = new CustomerProfile();
        foreach (var change in History())
        {
            CustomerChanges.Apply(profile, "cust-1", change);
        }

        var data = new TheoryData<object> { profile };
        foreach (var change in History())
        {
            data.Add(change);
        }

        return data;
    }
}
