using System.Globalization;
using System.Text;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>The channel through which a synthetic person was seen, and so which identifiers came with it.</summary>
public enum SeenThrough
{
    /// <summary>Email + one of the person's device ids (anonymous id).</summary>
    WebSignIn,

    /// <summary>Phone + loyalty id.</summary>
    StorePurchase,

    /// <summary>Email + phone.</summary>
    App,

    /// <summary>Phone only.</summary>
    CallCentre,

    /// <summary>Email only.</summary>
    Newsletter,

    /// <summary>A browsing session before sign-in: that session's anonymous id only.</summary>
    AnonymousBrowse,
}

/// <summary>
/// One identifier as it was sent. <see cref="Truth"/> names the underlying value ("phone:+33612345678"), whatever its
/// spelling on the wire (<see cref="Wire"/>: "06.12.34.56.78"); junk identifiers are shared by many people.
/// </summary>
public sealed record SentId(IdentifierType Type, string Truth, string Wire, bool Junk)
{
    public Identifier ToProto() => new() { Type = Type, Value = Wire };
}

/// <summary>One Identify call: a person seen through one channel. <see cref="Person"/> is the true person.</summary>
public sealed record Observation(int Person, SeenThrough Channel, IReadOnlyList<SentId> Ids, string GivenName, string FamilyName, bool Junk)
{
    public IdentifyRequest ToRequest() => new()
    {
        Identifiers = { Ids.Select(i => i.ToProto()) },
        Traits = new ProfileTraits { Name = new PersonName { GivenName = GivenName, FamilyName = FamilyName }, Locale = "fr-FR" },
    };
}

/// <summary>A synthetic person of the quality population: the truth the engine's clustering is compared with.</summary>
public sealed record QualityPerson(int Id, SyntheticCustomer Customer, IReadOnlyList<string> Devices)
{
    public string EmailTruth => IdentityWorld.Truth(IdentifierType.Email, Customer.EmailCanonical);

    public string PhoneTruth => IdentityWorld.Truth(IdentifierType.Phone, Customer.PhoneE164);

    public string LoyaltyTruth => IdentityWorld.Truth(IdentifierType.LoyaltyId, Customer.LoyaltyId);
}

/// <summary>
/// The identity-quality world: N people (a pure function of the seed), each seen 3-6 times through web sign-in, store
/// purchase, app, call centre and newsletter, with the identifiers spelled in the many ways people and systems write
/// them, names with typos and dropped accents, and a few shared junk identifiers sent with a real person's others.
/// </summary>
public sealed class IdentityWorld
{
    /// <summary>
    /// Quality people are synthetic customers from this index on: far from the indices `run` (a few populations of
    /// --customers) and `scale` (--start-index + --customers) use, so the engine does not already know them.
    /// </summary>
    public const int FirstIndex = 140_000_000;

    public const int MaxPeople = 1_000_000;

    private static readonly (SeenThrough Channel, int Weight)[] ChannelWeights =
    [
        (SeenThrough.WebSignIn, 30), (SeenThrough.StorePurchase, 25), (SeenThrough.App, 15), (SeenThrough.CallCentre, 15), (SeenThrough.Newsletter, 15),
    ];

    // Shared values real systems are full of. Phones are VALID numbers (an invalid one would simply be refused):
    // "06 99 99 99 99" typed by an agent who did not get the number, "06 12 34 56 78" the placeholder of every form.
    private static readonly string[] JunkEmails = ["test@test.com", "noreply@example.com"];
    private static readonly string[] JunkPhones = ["0699999999", "0612345678"];
    private static readonly string[] JunkLoyalty = ["LOY0000000000", "LOY9999999999"];

    private IdentityWorld(IReadOnlyList<QualityPerson> people, IReadOnlyList<Observation> observations, IReadOnlyList<string> junkValues)
    {
        People = people;
        Observations = observations;
        JunkValues = junkValues;
    }

    public IReadOnlyList<QualityPerson> People { get; }

    /// <summary>Real observations first (person by person), then the junk ones; ingestion shuffles them.</summary>
    public IReadOnlyList<Observation> Observations { get; }

    /// <summary>Junk identifiers in use (truth keys): those that collide with a real person's are left out.</summary>
    public IReadOnlyList<string> JunkValues { get; }

    public static string Truth(IdentifierType type, string value) => type switch
    {
        IdentifierType.Email => "email:" + value.Trim().ToLowerInvariant(),
        IdentifierType.Phone => "phone:" + Formats.Canonical(new Identifier { Type = IdentifierType.Phone, Value = value }),
        IdentifierType.LoyaltyId => "loyalty:" + value.Trim().ToUpperInvariant(), // a loyalty card number is one value whatever its case
        IdentifierType.AnonymousId => "anon:" + value.Trim(),
        _ => ((int)type).ToString(CultureInfo.InvariantCulture) + ":" + value.Trim(),
    };

    /// <param name="anonymousSessions">
    /// Per person, that many extra web sessions: browsing under a fresh anonymous id, then signing in with the email on
    /// it. Each sign-in joins an anonymous record to the known one, the everyday path that must never quarantine an email.
    /// </param>
    public static IdentityWorld Build(int seed, int people, double junkRate, int anonymousSessions = 0)
    {
        var population = new Population(seed);
        var persons = new List<QualityPerson>(people);
        var observations = new List<Observation>(people * 5);
        var byPerson = new List<List<Observation>>(people);
        var baseObservations = 0;
        for (var id = 0; id < people; id++)
        {
            var customer = population.Get(FirstIndex + id);
            var r = new Random(Seeds.Mix(seed, id, 31));
            var devices = new List<string> { customer.AnonymousId };
            var deviceCount = r.Next(1, 4);
            while (devices.Count < deviceCount)
            {
                var bytes = new byte[16];
                r.NextBytes(bytes);
                devices.Add("anon-" + Convert.ToHexStringLower(bytes));
            }

            var person = new QualityPerson(id, customer, devices);
            persons.Add(person);
            var mine = new List<Observation>();
            var count = r.Next(3, 7);
            for (var k = 0; k < count; k++)
            {
                mine.Add(Observe(person, Pick(r), r));
            }

            baseObservations += mine.Count;
            for (var session = 0; session < anonymousSessions; session++)
            {
                var bytes = new byte[16];
                r.NextBytes(bytes);
                var anonymousId = "anon-session-" + Convert.ToHexStringLower(bytes);
                var device = new SentId(IdentifierType.AnonymousId, Truth(IdentifierType.AnonymousId, anonymousId), anonymousId, false);
                var signIn = Observe(person, SeenThrough.Newsletter, r);
                mine.Add(signIn with { Channel = SeenThrough.AnonymousBrowse, Ids = [device] });
                mine.Add(signIn with { Channel = SeenThrough.WebSignIn, Ids = [.. signIn.Ids, device] });
            }

            byPerson.Add(mine);
            observations.AddRange(mine);
        }

        // Junk: values no real person owns, sent with a real person's other identifiers (a clerk's shared loyalty card,
        // a placeholder phone, a no-reply address typed into a sign-up form).
        var realTruths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in persons)
        {
            realTruths.Add(p.EmailTruth);
            realTruths.Add(p.PhoneTruth);
            realTruths.Add(p.LoyaltyTruth);
        }

        var emails = JunkEmails.Where(v => !realTruths.Contains(Truth(IdentifierType.Email, v))).ToArray();
        var phones = JunkPhones.Where(v => !realTruths.Contains(Truth(IdentifierType.Phone, v))).ToArray();
        var loyalty = JunkLoyalty.Where(v => !realTruths.Contains(Truth(IdentifierType.LoyaltyId, v))).ToArray();
        var junkUsed = new SortedSet<string>(StringComparer.Ordinal);
        // Relative to the channels' observations only: the junk a shop sees does not grow with how often people browse.
        var junkCount = people == 0 ? 0 : (int)Math.Round(baseObservations * junkRate, MidpointRounding.AwayFromZero);
        for (var k = 0; k < junkCount; k++)
        {
            var r = new Random(Seeds.Mix(seed, k, 37));
            var person = persons[r.Next(persons.Count)];
            var template = byPerson[person.Id][r.Next(byPerson[person.Id].Count)];
            var ids = template.Ids.ToList();
            var replaceable = Enumerable.Range(0, ids.Count).Where(i => ids[i].Type is IdentifierType.Email or IdentifierType.Phone or IdentifierType.LoyaltyId).ToList();
            SentId? junk;
            if (ids.Count >= 2 && replaceable.Count > 0)
            {
                var at = replaceable[r.Next(replaceable.Count)];
                junk = Junk(ids[at].Type, emails, phones, loyalty, r);
                if (junk is not null)
                {
                    ids[at] = junk;
                }
            }
            else
            {
                // A one-identifier channel: the junk comes as a second identifier of another type.
                junk = Junk(ids[0].Type == IdentifierType.Email ? IdentifierType.Phone : IdentifierType.Email, emails, phones, loyalty, r);
                if (junk is not null)
                {
                    ids.Add(junk);
                }
            }

            if (junk is null)
            {
                continue;
            }

            junkUsed.Add(junk.Truth);
            observations.Add(template with { Ids = ids, Junk = true });
        }

        return new IdentityWorld(persons, observations, [.. junkUsed]);
    }

    private static SeenThrough Pick(Random r)
    {
        var roll = r.Next(ChannelWeights.Sum(c => c.Weight));
        foreach (var (channel, weight) in ChannelWeights)
        {
            if (roll < weight)
            {
                return channel;
            }

            roll -= weight;
        }

        return SeenThrough.WebSignIn;
    }

    private static Observation Observe(QualityPerson p, SeenThrough channel, Random r)
    {
        var c = p.Customer;
        SentId Email() => new(IdentifierType.Email, p.EmailTruth, EmailSpelling(c.EmailDisplay, r), false);
        SentId Phone() => new(IdentifierType.Phone, p.PhoneTruth, PhoneSpelling(c.PhoneNational, r.Next(PhoneFormats)), false);
        SentId Loyalty() => new(IdentifierType.LoyaltyId, p.LoyaltyTruth, LoyaltySpelling(c.LoyaltyId, r), false);
        SentId Device()
        {
            var device = p.Devices[r.Next(p.Devices.Count)];
            return new SentId(IdentifierType.AnonymousId, Truth(IdentifierType.AnonymousId, device), device, false);
        }

        IReadOnlyList<SentId> ids = channel switch
        {
            SeenThrough.WebSignIn => [Email(), Device()],
            SeenThrough.StorePurchase => [Phone(), Loyalty()],
            SeenThrough.App => [Email(), Phone()],
            SeenThrough.CallCentre => [Phone()],
            _ => [Email()],
        };
        return new Observation(p.Id, channel, ids, NameSpelling(c.GivenName, r), NameSpelling(c.FamilyName, r), false);
    }

    private static SentId? Junk(IdentifierType type, string[] emails, string[] phones, string[] loyalty, Random r)
    {
        switch (type)
        {
            case IdentifierType.Email when emails.Length > 0:
                var email = emails[r.Next(emails.Length)];
                return new SentId(type, "junk:" + Truth(type, email), EmailSpelling(email, r), true);
            case IdentifierType.Phone when phones.Length > 0:
                var phone = phones[r.Next(phones.Length)];
                return new SentId(type, "junk:" + Truth(type, phone), PhoneSpelling(phone, r.Next(PhoneFormats)), true);
            case IdentifierType.LoyaltyId when loyalty.Length > 0:
                var card = loyalty[r.Next(loyalty.Length)];
                return new SentId(type, "junk:" + Truth(type, card), LoyaltySpelling(card, r), true);
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ spellings

    /// <summary>Usual spellings of a person's value, to look it up in spellings that may never have been sent.</summary>
    public static IEnumerable<string> StandardSpellings(QualityPerson p, IdentifierType type)
    {
        var c = p.Customer;
        switch (type)
        {
            case IdentifierType.Email:
                return [c.EmailDisplay, c.EmailCanonical, c.EmailDisplay.ToUpperInvariant(), " " + c.EmailCanonical + " "];
            case IdentifierType.Phone:
                return Enumerable.Range(0, PhoneFormats).Select(f => PhoneSpelling(c.PhoneNational, f));
            case IdentifierType.LoyaltyId:
                return [c.LoyaltyId, c.LoyaltyId.ToLowerInvariant(), char.ToUpperInvariant(c.LoyaltyId[0]) + c.LoyaltyId[1..].ToLowerInvariant(), " " + c.LoyaltyId + " "];
            default:
                return [];
        }
    }

    public const int PhoneFormats = 6;

    /// <param name="national">Ten digits: "0612345678".</param>
    public static string PhoneSpelling(string national, int format)
    {
        var pairs = $"{national[..2]} {national[2..4]} {national[4..6]} {national[6..8]} {national[8..10]}";
        var n = national[1..]; // "612345678"
        return format switch
        {
            0 => pairs,                                                            // 06 12 34 56 78
            1 => $"+33 {n[0]} {n[1..3]} {n[3..5]} {n[5..7]} {n[7..9]}",           // +33 6 12 34 56 78
            2 => "0033" + n,                                                       // 0033612345678
            3 => pairs.Replace(' ', '.'),                                          // 06.12.34.56.78
            4 => national,                                                         // 0612345678
            _ => "+33" + n,                                                        // +33612345678
        };
    }

    /// <summary>Case of local part and domain, and surrounding spaces: " Jean.Dupont@Gmail.COM ".</summary>
    public static string EmailSpelling(string display, Random r)
    {
        var at = display.LastIndexOf('@');
        var local = display[..at];
        var domain = display[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var spelled = r.Next(6) switch
        {
            0 => display,
            1 => display.ToLowerInvariant(),
            2 => display.ToUpperInvariant(),
            3 => local + "@" + domain.ToUpperInvariant(),
            4 => local + "@" + char.ToUpperInvariant(domain[0]) + domain[1..dot].ToLowerInvariant() + domain[dot..].ToUpperInvariant(),
            _ => RandomCase(display, r),
        };
        return r.Next(4) == 0 ? Pad(spelled, r) : spelled;
    }

    /// <summary>As issued ("LOY0001234567") most of the time; else in lower case, capitalised, or with spaces around.</summary>
    public static string LoyaltySpelling(string issued, Random r) => r.Next(10) switch
    {
        < 6 => issued,
        6 or 7 => issued.ToLowerInvariant(),
        8 => char.ToUpperInvariant(issued[0]) + issued[1..].ToLowerInvariant(),
        _ => Pad(issued, r),
    };

    /// <summary>Not identifying, but noisy: dropped accents, capitals, typos ("Hélène", "Helene", "HÉLÈNE", "Hlène").</summary>
    public static string NameSpelling(string name, Random r) => r.Next(10) switch
    {
        < 5 => name,
        5 or 6 => StripAccents(name),
        7 => name.ToUpperInvariant(),
        8 => Typo(name, r),
        _ => StripAccents(name).ToLowerInvariant(),
    };

    private static string Pad(string s, Random r) => r.Next(3) switch
    {
        0 => " " + s + " ",
        1 => s + " ",
        _ => "  " + s,
    };

    private static string RandomCase(string s, Random r)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = r.Next(2) == 0 ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static string StripAccents(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string Typo(string s, Random r)
    {
        if (s.Length < 3)
        {
            return s + s[^1];
        }

        var i = r.Next(1, s.Length - 1);
        return r.Next(3) switch
        {
            0 => s[..i] + s[i + 1] + s[i] + s[(i + 2)..], // swapped letters
            1 => s.Remove(i, 1),                          // a letter dropped
            _ => s.Insert(i, s[i].ToString()),            // a letter doubled
        };
    }
}
