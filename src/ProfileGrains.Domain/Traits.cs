namespace ProfileGrains.Domain;

public enum Gender
{
    Unspecified = 0,
    Female = 1,
    Male = 2,
    NonBinary = 3,
    Undisclosed = 4,
}

public enum ContactChannel
{
    Email = 1,
    Sms = 2,
    Phone = 3,
    Post = 4,
    Push = 5,
}

public enum ConsentStatus
{
    Unknown = 0,
    Granted = 1,
    Denied = 2,
}

[GenerateSerializer, Immutable, Alias("pg.PersonName")]
public sealed record PersonName(
    [property: Id(0)] string? GivenName = null,
    [property: Id(1)] string? FamilyName = null,
    [property: Id(2)] string? MiddleNames = null,
    [property: Id(3)] string? MaidenName = null,
    [property: Id(4)] string? Nickname = null,
    [property: Id(5)] string? Title = null)
{
    public bool IsEmpty => GivenName is null && FamilyName is null && MiddleNames is null && MaidenName is null && Nickname is null && Title is null;
}

[GenerateSerializer, Immutable, Alias("pg.PostalAddress")]
public sealed record PostalAddress(
    [property: Id(0)] string? Label,
    [property: Id(1)] IReadOnlyList<string> Lines,
    [property: Id(2)] string? PostalCode,
    [property: Id(3)] string? City,
    [property: Id(4)] string? Region,
    [property: Id(5)] string? CountryCode);

[GenerateSerializer, Immutable, Alias("pg.Company")]
public sealed record Company(
    [property: Id(0)] string? Name,
    [property: Id(1)] int? Employees,
    [property: Id(2)] Money? AnnualRevenue,
    [property: Id(3)] string? LegalForm,
    [property: Id(4)] string? Industry);

[GenerateSerializer, Immutable, Alias("pg.Preferences")]
public sealed record Preferences(
    [property: Id(0)] IReadOnlyList<string> Interests,
    [property: Id(1)] IReadOnlyDictionary<string, string> Sizes,
    [property: Id(2)] string? FavouriteDepartment,
    [property: Id(3)] IReadOnlyList<string> LifeEvents,
    [property: Id(4)] IReadOnlyList<string> Sports)
{
    public static Preferences Empty { get; } = new([], new Dictionary<string, string>(), null, [], []);
}

[GenerateSerializer, Immutable, Alias("pg.ConsentDecision")]
public sealed record ConsentDecision(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentStatus Status,
    [property: Id(2)] DateTimeOffset DecidedAt,
    [property: Id(3)] string? Source);

/// <summary>The descriptive part of a profile: who the customer is, as opposed to what they did.</summary>
[GenerateSerializer, Immutable, Alias("pg.ProfileTraits")]
public sealed record ProfileTraits
{
    public static ProfileTraits Empty { get; } = new();

    [Id(0)] public PersonName Name { get; init; } = new();
    [Id(1)] public DateOnly? BirthDate { get; init; }
    [Id(2)] public Gender Gender { get; init; }
    [Id(3)] public string? Locale { get; init; }
    [Id(4)] public IReadOnlyList<PostalAddress> Addresses { get; init; } = [];
    [Id(5)] public string? Occupation { get; init; }
    [Id(6)] public Company? Company { get; init; }
    [Id(7)] public Preferences Preferences { get; init; } = Preferences.Empty;
    [Id(8)] public IReadOnlyDictionary<string, string> CustomAttributes { get; init; } = new Dictionary<string, string>();
    [Id(9)] public IReadOnlyList<ConsentDecision> Consents { get; init; } = [];
    [Id(10)] public string? LoyaltyTier { get; init; }
}

/// <summary>New trait values and the paths (protobuf field-mask style) that say which of them to apply.</summary>
[GenerateSerializer, Immutable, Alias("pg.TraitsUpdate")]
public sealed record TraitsUpdate(
    [property: Id(0)] ProfileTraits Values,
    [property: Id(1)] IReadOnlyList<string> Paths)
{
    public bool IsEmpty => Paths.Count == 0;
}
