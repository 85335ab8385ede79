using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>
/// Who is who: members [0, N) are loaded before the run (pos, ingest); web visitors [N, 2N) and stitching people
/// [2N, 3N) are unknown to the engine until a scenario meets them. The ranges never overlap.
/// </summary>
public sealed record Populations(int Customers)
{
    public int MembersFirst => 0;
    public int WebFirst => Customers;
    public int StitchFirst => 2 * Customers;
}

/// <summary>A small deterministic catalogue: SKUs, French categories, prices in euros.</summary>
public sealed class Catalogue
{
    private static readonly string[] Categories = ["chaussures", "vetements-femme", "vetements-homme", "beaute", "maison", "sport", "electronique", "jouets", "epicerie-fine", "jardin", "librairie", "bijoux"];
    private readonly (string Sku, string Category, long Cents)[] _products;

    public Catalogue(int seed, int size = 500)
    {
        var r = new Random(seed ^ 0x2c1b3c6d);
        _products = [.. Enumerable.Range(0, size).Select(i => ($"SKU-{i:D6}", Categories[r.Next(Categories.Length)], (long)r.Next(299, 30_000)))];
    }

    public (string Sku, string Category, long Cents) Pick(Random r) => _products[r.Next(_products.Length)];

    public static Money Euros(long cents) => new() { CurrencyCode = "EUR", Units = cents / 100, Nanos = (int)(cents % 100) * 10_000_000 };
}

public static class Events
{
    public static Event New(RunContext run, EventType type, Channel channel, params Identifier[] identifiers)
    {
        var e = new Event
        {
            EventId = run.NextId("evt"),
            Type = type,
            OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow),
            Channel = channel,
        };
        e.Identifiers.AddRange(identifiers);
        return e;
    }

    public static Event Purchase(RunContext run, Catalogue catalogue, Random r, Channel channel, string? store, params Identifier[] identifiers)
    {
        var e = New(run, EventType.Purchase, channel, identifiers);
        var purchase = new Purchase { OrderId = run.NextId("ord"), StoreId = store ?? string.Empty };
        long total = 0;
        var lines = r.Next(1, 5);
        for (var i = 0; i < lines; i++)
        {
            var (sku, category, cents) = catalogue.Pick(r);
            var quantity = r.Next(1, 3);
            total += cents * quantity;
            purchase.Items.Add(new LineItem { Sku = sku, Category = category, Quantity = quantity, UnitPrice = Catalogue.Euros(cents) });
        }

        purchase.Total = Catalogue.Euros(total);
        e.Purchase = purchase;
        return e;
    }

    public static string Store(Random r) => "store-" + r.Next(1, 201).ToString("D4", CultureInfo.InvariantCulture);
}

/// <summary>Sends one Track and books the outcome.</summary>
internal static class Tracking
{
    public static async Task<TrackResponse?> Track(StepContext step, Event e)
    {
        var result = await step.Call("Track", o => step.Run.Clients.Profile.TrackAsync(new TrackRequest { Event = e }, o));
        if (result.Response is { } response)
        {
            step.Run.Ledger.Acknowledge(e, response);
            step.Metrics.AddEvents(1);
        }
        else
        {
            step.Run.Ledger.Failed(e, result.Error!);
        }

        return result.Response;
    }
}

/// <summary>The floor: same client, same stack, no grain.</summary>
public sealed class EchoScenario(int payloadBytes, int seed) : Scenario
{
    private readonly ByteString _payload = ByteString.CopyFrom([.. Enumerable.Range(0, payloadBytes).Select(i => (byte)((i * 31) ^ seed))]);

    public override string Name => "echo";

    public override Task StepAsync(StepContext step) =>
        step.Call("Echo", o => step.Run.Clients.Diagnostics.EchoAsync(new EchoRequest { Payload = _payload }, o));
}

/// <summary>
/// An anonymous visitor browses (page and product views, add to cart, personalisation reads by anonymous id), signs
/// in (Identify with email + anonymous id, which links them) and buys what is in the cart.
/// </summary>
public sealed class WebScenario : Scenario
{
    private readonly RunContext _run;
    private readonly Catalogue _catalogue;
    private readonly SessionPool<WebSession> _pool;

    public WebScenario(RunContext run, Catalogue catalogue, PersonLocks visitors, int slots)
    {
        _run = run;
        _catalogue = catalogue;
        _pool = new SessionPool<WebSession>(slots, visitors, Start, Advance);
    }

    public override string Name => "web";

    public override Task StepAsync(StepContext step) => _pool.StepAsync(step);

    private enum Kind
    {
        PageView,
        ProductView,
        AddToCart,
        Personalise,
        Identify,
        Purchase,
    }

    private sealed class WebSession : Session
    {
        public required SyntheticCustomer Person { get; init; }
        public required Identifier Anonymous { get; init; }
        public required List<Kind> Plan { get; init; }
        public int Next { get; set; }
        public List<(string Sku, string Category, long Cents)> Viewed { get; } = [];
        public List<(string Sku, string Category, long Cents, int Quantity)> Cart { get; } = [];
        public bool Identified { get; set; }
        public bool Aborted { get; set; }
        public override bool Done => Aborted || Next >= Plan.Count;
    }

    private WebSession Start(int person, Random r)
    {
        var p = _run.Population.Get(person);

        // Most visitors come back with their usual browser cookie; some on a new device (a new anonymous id, which the
        // engine cannot link to an email that already has an owner: it reports a conflict).
        var anonymous = r.NextDouble() < 0.85
            ? p.Anonymous()
            : new Identifier { Type = IdentifierType.AnonymousId, Value = "anon-" + _run.NextId("dev") };

        var browse = new List<Kind>();
        browse.AddRange(Enumerable.Repeat(Kind.PageView, r.Next(1, 4)));
        browse.AddRange(Enumerable.Repeat(Kind.ProductView, r.Next(1, 5)));
        browse.Shuffle(r);
        var plan = new List<Kind> { Kind.PageView, Kind.ProductView };
        plan.AddRange(browse);
        if (r.NextDouble() < 0.6)
        {
            plan.Insert(2, Kind.Personalise);
        }

        var carts = r.NextDouble() < 0.3 ? 0 : r.Next(1, 3);
        plan.AddRange(Enumerable.Repeat(Kind.AddToCart, carts));
        plan.Add(Kind.Identify);
        if (carts > 0)
        {
            plan.Add(Kind.Purchase);
        }

        plan.Add(Kind.Personalise);
        return new WebSession { PersonIndex = person, Person = p, Anonymous = anonymous, Plan = plan };
    }

    private async Task Advance(WebSession s, StepContext step)
    {
        var kind = s.Plan[s.Next++];
        var r = step.Random;
        switch (kind)
        {
            case Kind.PageView:
            {
                var e = Events.New(_run, EventType.PageView, Channel.Web, s.Anonymous);
                e.PageView = new PageView { Path = r.Next(4) switch { 0 => "/", 1 => "/c/" + _catalogue.Pick(r).Category, 2 => "/promotions", _ => "/magasins" } };
                await Tracking.Track(step, e);
                break;
            }

            case Kind.ProductView:
            {
                var product = _catalogue.Pick(r);
                s.Viewed.Add(product);
                var e = Events.New(_run, EventType.ProductView, Channel.Web, s.Anonymous);
                e.ProductView = new ProductView { Sku = product.Sku, Category = product.Category };
                await Tracking.Track(step, e);
                break;
            }

            case Kind.AddToCart:
            {
                var product = s.Viewed.Count > 0 ? s.Viewed[r.Next(s.Viewed.Count)] : _catalogue.Pick(r);
                var quantity = r.Next(1, 3);
                var e = Events.New(_run, EventType.AddToCart, Channel.Web, s.Anonymous);
                e.AddToCart = new CartChange { Sku = product.Sku, Category = product.Category, Quantity = quantity, UnitPrice = Catalogue.Euros(product.Cents) };
                if (await Tracking.Track(step, e) is not null)
                {
                    s.Cart.Add((product.Sku, product.Category, product.Cents, quantity));
                }

                break;
            }

            case Kind.Personalise:
                // The anonymous id is known once the session's first event was accepted.
                await step.Call("GetProfile", o => _run.Clients.Profile.GetProfileAsync(
                    new GetProfileRequest { Customer = new CustomerRef { Identifier = s.Anonymous } }, o));
                break;

            case Kind.Identify:
            {
                var request = new IdentifyRequest
                {
                    Identifiers = { s.Person.Email(r), s.Anonymous },
                    Traits = new ProfileTraits
                    {
                        Name = new PersonName { GivenName = s.Person.GivenName, FamilyName = s.Person.FamilyName },
                        Locale = "fr-FR",
                        Consents =
                        {
                            new Consent { Channel = ContactChannel.Email, Status = r.NextDouble() < 0.7 ? ConsentStatus.Granted : ConsentStatus.Denied, DecidedAt = Timestamp.FromDateTime(DateTime.UtcNow), Source = "web-signup" },
                        },
                    },
                };
                var result = await step.Call("Identify", o => _run.Clients.Profile.IdentifyAsync(request, o));
                _run.Stitches.Conflicted(result.Response?.Conflicts.Count ?? 0);
                if (result.Response is { } identified)
                {
                    _run.Ledger.Merged(identified.CustomerId, identified.MergedCustomerIds);
                }

                s.Identified = result.Ok;
                s.Aborted = !result.Ok;
                break;
            }

            case Kind.Purchase:
            {
                var e = Events.New(_run, EventType.Purchase, Channel.Web, s.Person.Email(r), s.Anonymous);
                var purchase = new Purchase { OrderId = _run.NextId("ord") };
                long total = 0;
                foreach (var (sku, category, cents, quantity) in s.Cart)
                {
                    total += cents * quantity;
                    purchase.Items.Add(new LineItem { Sku = sku, Category = category, Quantity = quantity, UnitPrice = Catalogue.Euros(cents) });
                }

                purchase.Total = Catalogue.Euros(total);
                e.Purchase = purchase;
                await Tracking.Track(step, e);
                break;
            }
        }
    }
}

/// <summary>A till: find the member by phone, loyalty card or email, then record a store purchase.</summary>
public sealed class PosScenario : Scenario
{
    private readonly RunContext _run;
    private readonly Catalogue _catalogue;
    private readonly SessionPool<PosSession> _pool;

    public PosScenario(RunContext run, Catalogue catalogue, PersonLocks members, int slots)
    {
        _run = run;
        _catalogue = catalogue;
        _pool = new SessionPool<PosSession>(slots, members, Start, Advance);
    }

    public override string Name => "pos";

    public override Task StepAsync(StepContext step) => _pool.StepAsync(step);

    private sealed class PosSession : Session
    {
        public required Identifier LookupBy { get; init; }
        public required string Store { get; init; }
        public int Step { get; set; }
        public override bool Done => Step >= 2;
    }

    private PosSession Start(int person, Random r)
    {
        var p = _run.Population.Get(person);
        var by = r.Next(10) switch
        {
            < 4 => p.Phone(r),
            < 8 => p.Loyalty(),
            _ => p.Email(r),
        };
        return new PosSession { PersonIndex = person, LookupBy = by, Store = Events.Store(r) };
    }

    private async Task Advance(PosSession s, StepContext step)
    {
        if (s.Step++ == 0)
        {
            var result = await step.Call("Lookup", o => _run.Clients.Profile.LookupAsync(new LookupRequest { Identifier = s.LookupBy }, o));
            if (!result.Ok)
            {
                s.Step = 2;
            }

            return;
        }

        await Tracking.Track(step, Events.Purchase(_run, _catalogue, step.Random, Channel.Store, s.Store, s.LookupBy));
    }
}

/// <summary>
/// Lookups alone, as the performance issue's first goal measures them: a till, a kiosk or a call centre finds a random
/// member by phone, loyalty card or email and reads the checkout summary. Nothing is written, so the correctness check
/// only confirms that the loaded members are intact.
/// </summary>
public sealed class LookupScenario(RunContext run, PersonLocks members, int slots) : Scenario
{
    private readonly SessionPool<LookupSession> _pool = new(slots, members, Start(run), Advance(run));

    public override string Name => "lookup";

    public override Task StepAsync(StepContext step) => _pool.StepAsync(step);

    private sealed class LookupSession : Session
    {
        public required Identifier LookupBy { get; init; }
        public bool Looked { get; set; }
        public override bool Done => Looked;
    }

    private static Func<int, Random, LookupSession> Start(RunContext run) => (person, r) =>
    {
        var p = run.Population.Get(person);
        var by = r.Next(10) switch
        {
            < 4 => p.Phone(r),
            < 8 => p.Loyalty(),
            _ => p.Email(r),
        };
        return new LookupSession { PersonIndex = person, LookupBy = by };
    };

    private static Func<LookupSession, StepContext, Task> Advance(RunContext run) => async (s, step) =>
    {
        s.Looked = true;
        await step.Call("Lookup", o => run.Clients.Profile.LookupAsync(new LookupRequest { Identifier = s.LookupBy }, o));
    };
}

/// <summary>
/// Consent changing while it is enforced: each step takes a random member and either records a decision (one step in
/// five: email marketing or personalization, granted or withdrawn, through UpdateProfile), asks CanContact for email
/// (two in five) or reads GetPersonalization, which answers in full only with consent (two in five). Compared with
/// lookup, it shows what enforcing consent on every read costs.
/// </summary>
public sealed class ConsentScenario(RunContext run, PersonLocks members, int slots) : Scenario
{
    private static readonly FieldMask ConsentsOnly = new() { Paths = { "consents" } };

    private readonly SessionPool<ConsentSession> _pool = new(slots, members, Start(run), Advance(run));

    public override string Name => "consent";

    public override Task StepAsync(StepContext step) => _pool.StepAsync(step);

    private sealed class ConsentSession : Session
    {
        public required Identifier By { get; init; }
        public bool Stepped { get; set; }
        public override bool Done => Stepped;
    }

    private static Func<int, Random, ConsentSession> Start(RunContext run) => (person, r) =>
    {
        var p = run.Population.Get(person);
        return new ConsentSession { PersonIndex = person, By = r.Next(2) == 0 ? p.Phone(r) : p.Loyalty() };
    };

    private static Func<ConsentSession, StepContext, Task> Advance(RunContext run) => async (s, step) =>
    {
        s.Stepped = true;
        var roll = step.Random.Next(5);
        if (roll == 0)
        {
            var decision = new Consent
            {
                Channel = step.Random.Next(2) == 0 ? ContactChannel.Email : ContactChannel.Unspecified,
                Status = step.Random.Next(2) == 0 ? ConsentStatus.Granted : ConsentStatus.Withdrawn,
                DecidedAt = Timestamp.FromDateTime(DateTime.UtcNow),
                Source = "preference-centre",
                WordingVersion = "prefs-v4",
            };
            decision.Purpose = decision.Channel == ContactChannel.Email ? ConsentPurpose.Marketing : ConsentPurpose.Personalization;
            await step.Call("UpdateConsent", o => run.Clients.Profile.UpdateProfileAsync(
                new UpdateProfileRequest { Customer = new CustomerRef { Identifier = s.By }, Traits = new ProfileTraits { Consents = { decision } }, UpdateMask = ConsentsOnly }, o));
        }
        else if (roll <= 2)
        {
            await step.Call("CanContact", o => run.Clients.Profile.CanContactAsync(new CanContactRequest { Identifier = s.By, Channel = ContactChannel.Email }, o));
        }
        else
        {
            await step.Call("GetPersonalization", o => run.Clients.Profile.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = s.By }, o));
        }
    };
}

/// <summary>
/// Stitching: the same person identifies 2 to 4 times with 2-3 identifiers in different spellings ("06 12 34 56 78"
/// and "+33612345678", emails in other cases). All of them must end up on one customer.
/// </summary>
public sealed class IdentifyScenario : Scenario
{
    private readonly RunContext _run;
    private readonly SessionPool<StitchSession> _pool;

    public IdentifyScenario(RunContext run, PersonLocks people, int slots)
    {
        _run = run;
        _pool = new SessionPool<StitchSession>(slots, people, Start, Advance);
    }

    public override string Name => "identify";

    public override Task StepAsync(StepContext step) => _pool.StepAsync(step);

    private sealed class StitchSession : Session
    {
        public required SyntheticCustomer Person { get; init; }
        public required int Calls { get; init; }
        public int Made { get; set; }
        public override bool Done => Made >= Calls;
    }

    private StitchSession Start(int person, Random r) =>
        new() { PersonIndex = person, Person = _run.Population.Get(person), Calls = r.Next(2, 5) };

    private async Task Advance(StitchSession s, StepContext step)
    {
        var r = step.Random;
        var kinds = new List<IdentifierType> { IdentifierType.Email, IdentifierType.Phone, IdentifierType.LoyaltyId };
        kinds.Shuffle(r);
        var identifiers = kinds.Take(r.Next(2, 4)).Select(k => k switch
        {
            IdentifierType.Email => s.Person.Email(r),
            IdentifierType.Phone => s.Person.Phone(r),
            _ => s.Person.Loyalty(),
        }).ToList();

        var request = new IdentifyRequest { Identifiers = { identifiers } };
        if (s.Made == 0)
        {
            request.Traits = s.Person.Traits();
        }

        s.Made++;
        var result = await step.Call("Identify", o => _run.Clients.Profile.IdentifyAsync(request, o));
        if (result.Response is { } response)
        {
            _run.Ledger.Merged(response.CustomerId, response.MergedCustomerIds);
            _run.Stitches.Identified(s.Person, identifiers, response);
        }
        else
        {
            s.Made = s.Calls;
        }
    }
}

/// <summary>Bulk ingestion of behaviour for loaded members: TrackBatch of N events per call, or one Track per call.</summary>
public sealed class IngestScenario(RunContext run, Catalogue catalogue, Populations populations, int batchSize, bool batch) : Scenario
{
    public override string Name => batch ? $"trackbatch x{batchSize}" : "track";

    public override async Task StepAsync(StepContext step)
    {
        if (!batch)
        {
            await Tracking.Track(step, NextEvent(step.Random));
            return;
        }

        var request = new TrackBatchRequest();
        for (var i = 0; i < batchSize; i++)
        {
            request.Events.Add(NextEvent(step.Random));
        }

        var result = await step.Call("TrackBatch", o => run.Clients.Profile.TrackBatchAsync(request, o));
        if (result.Response is { } response)
        {
            for (var i = 0; i < request.Events.Count && i < response.Results.Count; i++)
            {
                run.Ledger.Acknowledge(request.Events[i], response.Results[i]);
            }

            step.Metrics.AddEvents(request.Events.Count);
        }
        else
        {
            foreach (var e in request.Events)
            {
                run.Ledger.Failed(e, result.Error!);
            }
        }
    }

    private Event NextEvent(Random r)
    {
        var p = run.Population.Get(populations.MembersFirst + r.Next(populations.Customers));
        var who = r.Next(3) switch { 0 => p.Loyalty(), 1 => p.Email(r), _ => p.Phone(r) };
        var roll = r.Next(100);
        Event e;
        switch (roll)
        {
            case < 35:
                e = Events.New(run, EventType.PageView, Channel.App, who);
                e.PageView = new PageView { Path = "/app/home" };
                break;
            case < 65:
            {
                var product = catalogue.Pick(r);
                e = Events.New(run, EventType.ProductView, Channel.App, who);
                e.ProductView = new ProductView { Sku = product.Sku, Category = product.Category };
                break;
            }

            case < 75:
            {
                var product = catalogue.Pick(r);
                e = Events.New(run, EventType.AddToCart, Channel.App, who);
                e.AddToCart = new CartChange { Sku = product.Sku, Category = product.Category, Quantity = 1, UnitPrice = Catalogue.Euros(product.Cents) };
                break;
            }

            case < 85:
                e = Events.New(run, EventType.EmailOpen, Channel.Email, who);
                e.EmailOpen = new EmailInteraction { Campaign = "newsletter-" + r.Next(1, 12) };
                break;
            case < 90:
                e = Events.New(run, EventType.EmailClick, Channel.Email, who);
                e.EmailClick = new EmailInteraction { Campaign = "newsletter-" + r.Next(1, 12) };
                break;
            case < 95:
                e = Events.New(run, EventType.StoreVisit, Channel.Store, who);
                e.StoreVisit = new StoreVisit { StoreId = Events.Store(r) };
                break;
            default:
                e = Events.Purchase(run, catalogue, r, Channel.Store, Events.Store(r), who);
                break;
        }

        return e;
    }
}

/// <summary>A weighted mix of the other scenarios; each step picks one by weight.</summary>
public sealed class MixedScenario(IReadOnlyList<(Scenario Scenario, int Weight)> parts) : Scenario
{
    private readonly int _total = parts.Sum(p => p.Weight);

    public override string Name => "mixed";

    public override Task StepAsync(StepContext step)
    {
        var roll = step.Random.Next(_total);
        foreach (var (scenario, weight) in parts)
        {
            if (roll < weight)
            {
                return scenario.StepAsync(step);
            }

            roll -= weight;
        }

        return parts[^1].Scenario.StepAsync(step);
    }
}
