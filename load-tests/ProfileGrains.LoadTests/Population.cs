using System.Globalization;
using System.Text;
using Bogus;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>One synthetic person. Every field is a pure function of (seed, index): two runs with one seed send the same people.</summary>
public sealed class SyntheticCustomer
{
    public required int Index { get; init; }
    public required string GivenName { get; init; }
    public required string FamilyName { get; init; }
    public required Gender Gender { get; init; }

    /// <summary>The email as the engine stores it (lower case); the wire form varies in case.</summary>
    public required string EmailCanonical { get; init; }

    /// <summary>The email as the person typed it at sign-up (mixed case).</summary>
    public required string EmailDisplay { get; init; }

    /// <summary>Ten digits, national form without spaces: "0612345678".</summary>
    public required string PhoneNational { get; init; }

    /// <summary>The canonical E.164 form: "+33612345678".</summary>
    public required string PhoneE164 { get; init; }

    public required string LoyaltyId { get; init; }

    /// <summary>The first-party cookie of the person's usual browser.</summary>
    public required string AnonymousId { get; init; }

    public required string City { get; init; }

    public required string LoyaltyTier { get; init; }

    public required Date BirthDate { get; init; }

    public Identifier Email(Random r) => new() { Type = IdentifierType.Email, Value = Formats.EmailVariant(EmailDisplay, r) };

    public Identifier Phone(Random r) => new() { Type = IdentifierType.Phone, Value = Formats.PhoneVariant(PhoneNational, r) };

    public Identifier Loyalty() => new() { Type = IdentifierType.LoyaltyId, Value = LoyaltyId };

    public Identifier Anonymous() => new() { Type = IdentifierType.AnonymousId, Value = AnonymousId };

    /// <summary>Canonical identifiers (as the engine normalises them), strongest first.</summary>
    public IEnumerable<Identifier> CanonicalIdentifiers()
    {
        yield return Loyalty();
        yield return new Identifier { Type = IdentifierType.Email, Value = EmailCanonical };
        yield return new Identifier { Type = IdentifierType.Phone, Value = PhoneE164 };
    }

    public ProfileTraits Traits() => new()
    {
        Name = new PersonName { GivenName = GivenName, FamilyName = FamilyName },
        Gender = Gender,
        Locale = "fr-FR",
        BirthDate = BirthDate,
        LoyaltyTier = LoyaltyTier,
        Addresses = { new PostalAddress { Label = "home", City = City, CountryCode = "FR" } },
    };
}

/// <summary>
/// Deterministic French customers made with Bogus (locale "fr"). Identifiers are unique per seed by construction:
/// phone numbers and loyalty ids come from a bijection of the index, not from chance.
/// </summary>
public sealed class Population
{
    // Mobile prefixes libphonenumber accepts as valid French mobiles (06 xx and 07 3x-07 9x); 063x, 069x and 070-072 are avoided.
    private static readonly string[] MobilePrefixes = ["60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78", "79"];
    private const long PhoneSpace = 15L * 10_000_000; // 15 prefixes, 7 free digits each
    private const long LoyaltySpace = 10_000_000_000L;
    private static readonly string[] Domains = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr", "outlook.fr", "yahoo.fr", "wanadoo.fr", "icloud.com"];
    private static readonly string[] Tiers = ["", "bronze", "silver", "gold", "platinum"];

    private readonly int _seed;
    private readonly long _phoneOffset;
    private readonly long _loyaltyOffset;
    [ThreadStatic]
    private static (Bogus.DataSets.Name Name, Bogus.DataSets.Address Address)? _datasets;

    public Population(int seed)
    {
        _seed = seed;
        var r = new Random(seed);
        _phoneOffset = r.NextInt64(PhoneSpace);
        _loyaltyOffset = r.NextInt64(LoyaltySpace);
    }

    public int Seed => _seed;

    public SyntheticCustomer Get(int index)
    {
        if (index < 0 || index >= PhoneSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        var randomizer = new Randomizer(unchecked((_seed * 1_000_003) ^ (index * 7_919) ^ 0x5bd1e995));
        _datasets ??= (new Bogus.DataSets.Name("fr"), new Bogus.DataSets.Address("fr"));
        var (names, address) = _datasets.Value;
        names.Random = randomizer;
        address.Random = randomizer;

        var female = randomizer.Bool();
        var bogusGender = female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male;
        var given = names.FirstName(bogusGender);
        var family = names.LastName(bogusGender);
        var domain = randomizer.ArrayElement(Domains);
        var local = $"{Ascii(given)}.{Ascii(family)}.{index.ToString(CultureInfo.InvariantCulture)}";
        if (_seed != 42)
        {
            local += "-s" + _seed.ToString(CultureInfo.InvariantCulture);
        }

        // Sign-up forms keep whatever case people type: "Jean.Dupont.12@Gmail.com".
        var display = Capitalise(local) + "@" + (randomizer.Bool(0.2f) ? Capitalise(domain) : domain);

        var phone = (index * 104_729L + _phoneOffset) % PhoneSpace;
        var prefix = MobilePrefixes[phone / 10_000_000];
        var rest = (phone % 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
        var loyalty = (index * 7_777_777_777L % LoyaltySpace + _loyaltyOffset) % LoyaltySpace;

        var anon = new byte[16];
        randomizer.Bytes(16).CopyTo(anon, 0);

        return new SyntheticCustomer
        {
            Index = index,
            GivenName = given,
            FamilyName = family,
            Gender = female ? Gender.Female : Gender.Male,
            EmailCanonical = local.ToLowerInvariant() + "@" + domain,
            EmailDisplay = display,
            PhoneNational = "0" + prefix + rest,
            PhoneE164 = "+33" + prefix + rest,
            LoyaltyId = "LOY" + loyalty.ToString("D10", CultureInfo.InvariantCulture),
            AnonymousId = "anon-" + Convert.ToHexStringLower(anon),
            City = address.City(),
            LoyaltyTier = randomizer.ArrayElement(Tiers),
            BirthDate = new Date { Year = randomizer.Number(1945, 2006), Month = randomizer.Number(1, 12), Day = randomizer.Number(1, 28) },
        };
    }

    private static string Ascii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                sb.Append(c);
            }
            else if (c is '-' or ' ' or '\'')
            {
                sb.Append('-');
            }
        }

        return sb.Length == 0 ? "x" : sb.ToString().ToLowerInvariant();
    }

    private static string Capitalise(string s)
    {
        var chars = s.ToCharArray();
        var upNext = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (upNext && char.IsLetter(chars[i]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }

            upNext = chars[i] is '.' or '-' or '@';
        }

        return new string(chars);
    }
}

/// <summary>The many ways people write the same phone number and email address.</summary>
public static class Formats
{
    /// <summary>The formats <see cref="Phone"/> writes, by index.</summary>
    public static readonly string[] PhoneFormatNames = ["+33 6 12 34 56 78", "06 12 34 56 78", "0612345678", "+33612345678", "0033 6 12 34 56 78", "06.12.34.56.78"];

    /// <param name="national">Ten digits: "0612345678".</param>
    public static string PhoneVariant(string national, Random r) => Phone(national, r.Next(PhoneFormatNames.Length));

    public static string Phone(string national, int format)
    {
        var n = national.AsSpan(1); // "612345678"
        var pairs = $"{national[..2]} {national[2..4]} {national[4..6]} {national[6..8]} {national[8..10]}"; // "06 12 34 56 78"
        return format switch
        {
            0 => $"+33 {n[0]} {n[1..3]} {n[3..5]} {n[5..7]} {n[7..9]}",
            1 => pairs,
            2 => national,
            3 => "+33" + n.ToString(),
            4 => $"0033 {n[0]} {n[1..3]} {n[3..5]} {n[5..7]} {n[7..9]}",
            _ => pairs.Replace(' ', '.'),
        };
    }

    /// <summary>Same address, different case: the engine must treat them as one.</summary>
    public static string EmailVariant(string display, Random r) => r.Next(4) switch
    {
        0 => display,
        1 => display.ToLowerInvariant(),
        2 => display.ToUpperInvariant(),
        _ => RandomCase(display, r),
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

    /// <summary>The engine's canonical form of an identifier we generated, so responses can be matched to requests.</summary>
    public static string Canonical(Identifier id) => id.Type switch
    {
        IdentifierType.Email => id.Value.Trim().ToLowerInvariant(),
        IdentifierType.Phone => CanonicalPhone(id.Value),
        IdentifierType.LoyaltyId => id.Value.Trim().ToUpperInvariant(), // the engine folds loyalty ids to upper case
        _ => id.Value.Trim(),
    };

    private static string CanonicalPhone(string raw)
    {
        var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("0033", StringComparison.Ordinal))
        {
            return "+" + digits[2..];
        }

        if (digits.StartsWith("33", StringComparison.Ordinal) && raw.TrimStart().StartsWith('+'))
        {
            return "+" + digits;
        }

        return digits.StartsWith('0') ? "+33" + digits[1..] : "+" + digits;
    }

    public static string Key(Identifier id) => ((int)id.Type).ToString(CultureInfo.InvariantCulture) + ":" + Canonical(id);
}
