using ProfileGrains.Domain;

namespace ProfileGrains.Domain.Tests;

public sealed class IdentityTableTests
{
    private static readonly IdentityKeyHasher Hasher = new("a-test-secret-of-enough-length");
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Alice = Guid.CreateVersion7().ToString("N");
    private static readonly string Bob = Guid.CreateVersion7().ToString("N");
    private static readonly IdentityProtectionPolicy Policy = new(new IdentityProtectionOptions());

    private static IdentityKey Key(string email) => Hasher.KeyOf(new CustomerIdentifier(IdentifierType.Email, email));

    [Fact]
    public void The_first_claim_wins_and_later_claims_learn_the_owner_without_a_write()
    {
        var table = new IdentityTable();
        var key = Key("a@example.com");

        var (first, stored) = table.Claim(key, Alice, Now);
        var (second, none) = table.Claim(key, Bob, Now.AddSeconds(1));

        Assert.Equal(Alice, first);
        Assert.Equal(new IdentityRow(key, Alice, Now, null), stored);
        Assert.Equal(Alice, second);
        Assert.Null(none);
        Assert.Equal(Alice, table.OwnerOf(key));
        Assert.Null(table.OwnerOf(Key("b@example.com")));
    }

    [Fact]
    public void An_erased_identifier_is_forgotten_and_once_suppressed_no_claim_takes_it_even_after_a_reload()
    {
        var table = new IdentityTable();
        var (erased, kept) = (Key("erased@example.com"), Key("kept@example.com"));
        table.Claim(erased, Alice, Now);
        table.Claim(kept, Bob, Now);

        Assert.False(table.Erase(kept, new HashSet<string> { Alice }));
        Assert.True(table.Erase(erased, new HashSet<string> { Alice }));
        Assert.Null(table.OwnerOf(erased));
        Assert.Null(table.Suppress(kept, Now)); // owned by someone: never suppressed
        var row = table.Suppress(erased, Now);

        Assert.NotNull(row);
        Assert.Equal(IdentityTable.Suppressed, row.CustomerId);
        Assert.Null(table.Suppress(erased, Now)); // once is enough
        Assert.Equal((IdentityTable.Suppressed, (IdentityRow?)null), table.Claim(erased, Bob, Now));
        var reloaded = new IdentityTable();
        reloaded.Load(row);
        Assert.Equal(IdentityTable.Suppressed, reloaded.Claim(erased, Bob, Now).Owner);
        Assert.Null(reloaded.OwnerOf(erased));
    }

    [Fact]
    public void A_plain_entry_explains_itself_as_first_seen_without_keeping_a_detail()
    {
        var table = new IdentityTable();
        var key = Key("a@example.com");
        table.Claim(key, Alice, Now);

        var (owner, history, _) = table.Explain(key, Now);

        Assert.Equal(Alice, owner);
        Assert.Equal([new IdentityLink(Alice, Now, IdentityTable.FirstSeen)], history);
        Assert.Equal(0, table.DetailCount);
    }

    [Fact]
    public void Repoint_moves_only_from_the_current_owner_and_keeps_the_history()
    {
        var table = new IdentityTable();
        var key = Key("a@example.com");
        table.Claim(key, Alice, Now);

        var (stale, unchanged) = table.Repoint(key, Bob, Alice, "not the owner", Now.AddMinutes(1));
        var (moved, stored) = table.Repoint(key, Alice, Bob, "merge x", Now.AddMinutes(2));

        Assert.Equal(Alice, stale);
        Assert.Null(unchanged);
        Assert.Equal(Bob, moved);
        Assert.Equal(Bob, stored!.CustomerId);
        Assert.Equal(
            [new IdentityLink(Alice, Now, IdentityTable.FirstSeen), new IdentityLink(Bob, Now.AddMinutes(2), "merge x")],
            table.Explain(key, Now).History);
        Assert.Equal(2, stored.Detail!.History.Count);
    }

    [Fact]
    public void History_is_bounded()
    {
        var table = new IdentityTable();
        var key = Key("a@example.com");
        table.Claim(key, Alice, Now);
        for (var i = 0; i < 50; i++)
        {
            table.Repoint(key, i % 2 == 0 ? Alice : Bob, i % 2 == 0 ? Bob : Alice, "merge " + i, Now.AddMinutes(i + 1));
        }

        var history = table.Explain(key, Now).History;
        Assert.Equal(IdentityTable.MaxHistory, history.Count);
        Assert.Equal("merge 49", history[^1].Reason);
    }

    [Fact]
    public void A_merge_guard_quarantines_once_and_stores_only_when_it_changed()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxCustomersPerIdentifier = 3 });
        var table = new IdentityTable();
        var key = Key("shop@example.com");
        table.Claim(key, Alice, Now);

        var (allowed, counted) = table.AuthorizeMerge(key, [Bob], Now, policy);
        var (refused, quarantined) = table.AuthorizeMerge(key, ["carol", "dan", "erin"], Now, policy);
        var (stillRefused, unchanged) = table.AuthorizeMerge(key, ["frank"], Now, policy);

        Assert.Null(allowed);
        Assert.NotNull(counted);
        Assert.NotNull(refused);
        Assert.True(quarantined!.Detail!.Guard.IsQuarantined);
        Assert.NotNull(stillRefused);
        Assert.Null(unchanged);
        Assert.Equal((null, null), table.AuthorizeMerge(Key("nobody@example.com"), ["carol", "dan"], Now, policy));
    }

    [Fact]
    public void A_merge_seen_by_many_requests_at_once_is_counted_once()
    {
        // Concurrent requests of one person all see the same two records until the merge is done.
        var table = new IdentityTable();
        var key = Key("me@example.com");
        table.Claim(key, Alice, Now);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(table.AuthorizeMerge(key, [Bob], Now.AddSeconds(i), Policy).Refusal);
        }

        // So the daily budget (5) still has room for four other customers, and not a fifth.
        foreach (var other in new[] { "carol", "dan", "erin", "frank" })
        {
            Assert.Null(table.AuthorizeMerge(key, [other], Now.AddMinutes(1), Policy).Refusal);
        }

        Assert.NotNull(table.AuthorizeMerge(key, ["grace"], Now.AddMinutes(2), Policy).Refusal);
    }

    [Fact]
    public void A_quarantine_is_listed_explained_and_released_by_an_operator_with_an_audit_line()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxCustomersPerIdentifier = 3 });
        var table = new IdentityTable();
        var (shop, other) = (Key("shop@example.com"), Key("other@example.com"));
        table.Claim(shop, Alice, Now);
        table.Claim(other, Bob, Now);
        table.AuthorizeMerge(shop, ["carol", "dan", "erin"], Now, policy);

        var listed = Assert.Single(table.Quarantined(Now.AddHours(1)));
        Assert.Equal((shop, Alice), (listed.Key, listed.Owner));
        Assert.Equal(Now.AddDays(7), listed.Quarantine.Until);
        Assert.Equal(listed.Quarantine, table.Explain(shop, Now.AddHours(1)).Quarantine);
        Assert.Empty(table.Quarantined(Now.AddDays(7))); // over by itself
        Assert.Null(table.ReleaseQuarantine(other, "not quarantined", Now));

        var stored = table.ReleaseQuarantine(shop, "our own shop phone was removed from the forms (ticket 4711)", Now.AddHours(2));

        Assert.NotNull(stored);
        Assert.False(stored.Detail!.Guard.IsQuarantined);
        Assert.Empty(table.Quarantined(Now.AddHours(2)));
        var (owner, history, quarantine) = table.Explain(shop, Now.AddHours(2));
        Assert.Equal(Alice, owner);
        Assert.Null(quarantine);
        Assert.Equal(new IdentityLink(Alice, Now.AddHours(2), "quarantine released: our own shop phone was removed from the forms (ticket 4711)"), history[^1]);
        Assert.Null(table.AuthorizeMerge(shop, [Bob], Now.AddHours(3), policy).Refusal);
    }

    [Fact]
    public void Loading_stored_rows_restores_owners_and_details()
    {
        var original = new IdentityTable();
        var key = Key("a@example.com");
        original.Claim(key, Alice, Now);
        var (_, repointed) = original.Repoint(key, Alice, Bob, "merge", Now.AddMinutes(1));
        var plainKey = Key("p@example.com");
        var (_, plain) = original.Claim(plainKey, "crm-style-id-42", Now);

        var reloaded = new IdentityTable();
        reloaded.Load(repointed!);
        reloaded.Load(plain!);

        Assert.Equal(original.Explain(key, Now), reloaded.Explain(key, Now), ExplanationComparer.Instance);
        Assert.Equal("crm-style-id-42", reloaded.OwnerOf(plainKey));
        Assert.Equal(2, reloaded.Count);
    }

    [Fact]
    public void Keys_depend_on_the_secret_the_type_and_the_value()
    {
        var email = new CustomerIdentifier(IdentifierType.Email, "a@example.com");
        var other = new IdentityKeyHasher("another-secret-of-enough-length");

        Assert.Equal(Hasher.KeyOf(email), Hasher.KeyOf(email with { }));
        Assert.NotEqual(Hasher.KeyOf(email), other.KeyOf(email));
        Assert.NotEqual(Hasher.KeyOf(email), Hasher.KeyOf(new CustomerIdentifier(IdentifierType.CrmId, "a@example.com")));
        Assert.NotEqual(Hasher.KeyOf(email), Hasher.KeyOf(new CustomerIdentifier(IdentifierType.Email, "b@example.com")));
        Assert.Equal(Hasher.KeyOf(email), IdentityKey.FromBytes(Hasher.KeyOf(email).ToBytes()));
        var long1 = new CustomerIdentifier(IdentifierType.AnonymousId, new string('é', 4000));
        Assert.NotEqual(Hasher.KeyOf(long1), Hasher.KeyOf(long1 with { Value = long1.Value + "x" }));
        Assert.Throws<ArgumentException>(() => new IdentityKeyHasher("short"));
    }

    [Fact]
    public void Shards_spread_keys_evenly()
    {
        var counts = new int[16];
        for (var i = 0; i < 16_000; i++)
        {
            counts[Key($"user{i}@example.com").Shard(16)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData("0193a5b4c3d27e8f9a0b1c2d3e4f5a6b")]
    [InlineData("0193A5B4C3D27E8F9A0B1C2D3E4F5A6B")]
    [InlineData("crm:42")]
    [InlineData("0193a5b4-c3d2-7e8f-9a0b-1c2d3e4f5a6b")]
    public void Compact_customer_ids_round_trip_exactly(string id)
    {
        var compact = CompactCustomerId.From(id);

        Assert.Equal(id, compact.ToString());
        Assert.True(compact.Is(id));
        Assert.False(compact.Is(id + "0"));
    }

    private sealed class ExplanationComparer : IEqualityComparer<(string? Owner, IReadOnlyList<IdentityLink> History, IdentifierQuarantine? Quarantine)>
    {
        public static readonly ExplanationComparer Instance = new();

        public bool Equals((string? Owner, IReadOnlyList<IdentityLink> History, IdentifierQuarantine? Quarantine) x, (string? Owner, IReadOnlyList<IdentityLink> History, IdentifierQuarantine? Quarantine) y) =>
            x.Owner == y.Owner && x.History.SequenceEqual(y.History) && x.Quarantine == y.Quarantine;

        public int GetHashCode((string? Owner, IReadOnlyList<IdentityLink> History, IdentifierQuarantine? Quarantine) obj) => obj.Owner?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
