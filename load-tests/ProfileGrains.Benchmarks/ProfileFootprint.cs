using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ProfileGrains.Domain;

namespace ProfileGrains.Benchmarks;

/// <summary>
/// Bytes a resident customer's data keeps on the heap, by component: many customers are built step by step the way the
/// load test's customers are (three identifiers and traits, a purchase of two items, then browsing), and the live heap
/// is measured after a full collection between steps. Run: <c>ProfileGrains.Benchmarks footprint [customers]</c>.
/// Grain activations and the identity cache come on top; the scale command of the load tests measures the whole.
/// </summary>
public static class ProfileFootprint
{
    public static void Run(int customers)
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var hasher = new IdentityKeyHasher("footprint-measurement-secret");
        var ids = Enumerable.Range(0, customers).Select(i => Guid.CreateVersion7().ToString("N")).ToArray();
        var profiles = new CustomerProfile[customers];
        var identities = new IdentityTable();
        var steps = new List<(string Step, long Bytes)>();
        var before = LiveBytes();

        for (var i = 0; i < customers; i++)
        {
            profiles[i] = new CustomerProfile();
        }

        steps.Add(("empty CustomerProfile object graph", Measure(ref before)));
        for (var i = 0; i < customers; i++)
        {
            CustomerChanges.Apply(profiles[i], ids[i], new IdentifyChange(now, Identifiers(i), Traits(i)));
        }

        steps.Add(("created: 3 identifiers + name, birth date, locale, address, tier", Measure(ref before)));
        for (var i = 0; i < customers; i++)
        {
            var purchase = new TrackedEvent($"evt-{i}-p", EventType.Purchase, now.AddMinutes(-30), Channel.Store, Identifiers(i),
                new PurchasePayload($"ORD-{i}", new Money("EUR", 59.90m), [new LineItem("SKU-1001", "shoes", 1, new Money("EUR", 49.90m)), new LineItem("SKU-2002", "socks", 2, new Money("EUR", 5m))], "STORE-PARIS-01"));
            CustomerChanges.Apply(profiles[i], ids[i], new TrackChange(now, purchase, []));
        }

        steps.Add(("+ 1 store purchase of 2 items (summary, counters, dedupe, affinity)", Measure(ref before)));
        for (var i = 0; i < customers; i++)
        {
            for (var e = 0; e < 5; e++)
            {
                var view = new TrackedEvent($"evt-{i}-v{e}", e % 2 == 0 ? EventType.PageView : EventType.ProductView, now.AddMinutes(-20 + e), Channel.Web, [],
                    e % 2 == 0 ? new PageViewPayload("/products/shoes") : new ProductPayload("SKU-" + e, "shoes", 1, null));
                CustomerChanges.Apply(profiles[i], ids[i], new TrackChange(now, view, []));
            }
        }

        steps.Add(("+ 5 web events (page and product views)", Measure(ref before)));
        for (var i = 0; i < customers; i++)
        {
            foreach (var identifier in Identifiers(i))
            {
                identities.Claim(hasher.KeyOf(identifier), ids[i], now);
            }
        }

        steps.Add(("identity table entries (3 per customer)", Measure(ref before)));

        Console.WriteLine($"Heap bytes per customer, {customers:N0} customers (full GC between steps)");
        Console.WriteLine();
        Console.WriteLine("| component | bytes per customer |");
        Console.WriteLine("| --- | --: |");
        foreach (var (step, bytes) in steps)
        {
            Console.WriteLine($"| {step} | {bytes / (double)customers:N0} |");
        }

        Console.WriteLine($"| **total** | **{steps.Sum(s => s.Bytes) / (double)customers:N0}** |");

        // What the in-memory store keeps for a customer idle longer than CustomerIdleAge, once its activation is gone.
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var serialized = profiles.Sum(p => (long)serializer.SerializeToArray(p).Length);
        Console.WriteLine();
        Console.WriteLine($"The same profile serialized (Orleans binary, as the in-memory store keeps a customer that left memory): {serialized / (double)customers:N0} bytes per customer");
        GC.KeepAlive(profiles);
        GC.KeepAlive(identities);
        GC.KeepAlive(ids);
    }

    private static CustomerIdentifier[] Identifiers(int i) =>
    [
        new(IdentifierType.Email, $"customer.{i}@example.fr"),
        new(IdentifierType.Phone, $"+336{i:D8}"),
        new(IdentifierType.LoyaltyId, $"LOY{i:D10}"),
    ];

    private static TraitsUpdate Traits(int i) => new(
        ProfileTraits.Empty with
        {
            Name = new PersonName("Camille", "Martin" + (i % 1000)),
            BirthDate = new DateOnly(1980 + (i % 30), 1 + (i % 12), 1 + (i % 28)),
            Locale = "fr-FR",
            Addresses = [new PostalAddress("home", [$"{i % 200} rue de la Paix"], "75002", "Paris", null, "FR")],
            LoyaltyTier = "silver",
        },
        ["name", "birth_date", "locale", "addresses", "loyalty_tier"]);

    private static long Measure(ref long before)
    {
        var now = LiveBytes();
        var delta = now - before;
        before = now;
        return delta;
    }

    private static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
