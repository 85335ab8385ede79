using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;
using ApiChannel = ProfileGrains.Protos.V1.Channel;

namespace ProfileGrains.TestSupport;

/// <summary>Builders for unique identifiers, events and money, so tests never share customers.</summary>
public static class TestData
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static Identifier Email(string local = "user") =>
        new() { Type = IdentifierType.Email, Value = $"{local}.{Guid.NewGuid():N}@client-mail.fr" };

    public static Identifier Loyalty() => new() { Type = IdentifierType.LoyaltyId, Value = Unique("LOY").ToUpperInvariant() };

    public static Identifier Anonymous() => new() { Type = IdentifierType.AnonymousId, Value = Unique("anon") };

    public static Identifier Crm() => new() { Type = IdentifierType.CrmId, Value = Unique("crm") };

    /// <summary>A random valid French mobile number in national ("06 12 34 56 78") and international ("+33 6 12 34 56 78") form, plus E.164.</summary>
    public static (string National, string International, string E164) FrenchMobile()
    {
        // 6[0-24-8] followed by 7 digits is a valid French mobile range.
        const string second = "01245678";
        var digits = "6" + second[Random.Shared.Next(second.Length)] + Random.Shared.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
        var pairs = string.Join(' ', Enumerable.Range(0, 4).Select(i => digits.Substring(1 + (i * 2), 2)));
        return ($"0{digits[0]} {pairs}", $"+33 {digits[0]} {pairs}", "+33" + digits);
    }

    public static Identifier Phone(string value) => new() { Type = IdentifierType.Phone, Value = value };

    public static Identifier Id(IdentifierType type, string value) => new() { Type = type, Value = value };

    public static Money Money(decimal amount, string currency = "EUR")
    {
        var units = decimal.Truncate(amount);
        return new Money { CurrencyCode = currency, Units = (long)units, Nanos = (int)((amount - units) * 1_000_000_000m) };
    }

    public static decimal Amount(Money money) => money.Units + (money.Nanos / 1_000_000_000m);

    /// <summary>Now, truncated to whole seconds so timestamps compare exactly after a round trip.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond));
    }

    public static Timestamp Ts(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);

    /// <summary>An event of the given type with a valid payload, one minute ago, on the web.</summary>
    public static Event Event(EventType type, params Identifier[] who) => Event(type, Now().AddMinutes(-1), who);

    public static Event Event(EventType type, DateTimeOffset occurredAt, params Identifier[] who)
    {
        var e = new Event
        {
            EventId = Unique("evt"),
            Type = type,
            OccurredAt = Ts(occurredAt),
            Channel = ApiChannel.Web,
            Identifiers = { who },
        };
        switch (type)
        {
            case EventType.Purchase:
                e.Purchase = new Purchase { OrderId = Unique("order"), Total = Money(42.50m), Items = { new LineItem { Sku = "SKU-1", Category = "shoes", Quantity = 1, UnitPrice = Money(42.50m) } } };
                break;
            case EventType.ProductView:
                e.ProductView = new ProductView { Sku = "SKU-1", Category = "shoes" };
                break;
            case EventType.PageView:
                e.PageView = new PageView { Path = "/home" };
                break;
            case EventType.AddToCart:
                e.AddToCart = new CartChange { Sku = "SKU-1", Category = "shoes", Quantity = 2, UnitPrice = Money(10m) };
                break;
            case EventType.RemoveFromCart:
                e.RemoveFromCart = new CartChange { Sku = "SKU-1", Category = "shoes", Quantity = 1 };
                break;
            case EventType.StoreVisit:
                e.StoreVisit = new StoreVisit { StoreId = "store-0042" };
                break;
            case EventType.EmailOpen:
                e.EmailOpen = new EmailInteraction { Campaign = "spring-sale" };
                break;
            case EventType.EmailClick:
                e.EmailClick = new EmailInteraction { Campaign = "spring-sale" };
                break;
            case EventType.SupportContact:
                e.SupportContact = new SupportContact { Topic = "returns" };
                break;
            case EventType.Satisfaction:
                e.Satisfaction = new Satisfaction { Score = 9 };
                break;
            case EventType.Review:
                e.Review = new Review { Sku = "SKU-1", Rating = 4 };
                break;
            case EventType.Custom:
                e.Custom = new CustomEvent { Name = "wishlist_shared", Properties = { ["list"] = "summer", ["size"] = "3" } };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "no payload for this type");
        }

        return e;
    }

    public static Event Purchase(
        Identifier who,
        decimal total,
        DateTimeOffset occurredAt,
        string currency = "EUR",
        ApiChannel channel = ApiChannel.Web,
        string? storeId = null,
        string? orderId = null,
        string? category = null)
    {
        var e = Event(EventType.Purchase, occurredAt, who);
        e.Channel = channel;
        e.Purchase = new Purchase { OrderId = orderId ?? Unique("order"), Total = Money(total, currency), StoreId = storeId ?? string.Empty };
        if (category is not null)
        {
            e.Purchase.Items.Add(new LineItem { Sku = Unique("sku"), Category = category, Quantity = 1, UnitPrice = Money(total, currency) });
        }

        return e;
    }

    public static Consent Consent(ContactChannel channel, ConsentStatus status, DateTimeOffset decidedAt, string source = "web-signup") =>
        new() { Channel = channel, Status = status, DecidedAt = Ts(decidedAt), Source = source };

    public static CustomerRef ById(string customerId) => new() { CustomerId = customerId };

    public static CustomerRef ByIdentifier(Identifier identifier) => new() { Identifier = identifier };

    /// <summary>The count of one event type in one window of a profile (0 when the profile has no such counter).</summary>
    public static long Count(Profile profile, EventType type, CounterWindow window) =>
        profile.Counters.FirstOrDefault(c => c.EventType == type)?.Windows.FirstOrDefault(w => w.Window == window)?.Count ?? 0;

    public static decimal? Spend(IEnumerable<Money> amounts, string currency) =>
        amounts.Where(m => m.CurrencyCode == currency).Select(Amount).Cast<decimal?>().FirstOrDefault();

    /// <summary>Polls <paramref name="probe"/> until it returns true, for at most <paramref name="timeout"/> (default 5 s).</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> probe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            if (await probe())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}
