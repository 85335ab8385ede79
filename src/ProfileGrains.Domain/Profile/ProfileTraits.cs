namespace ProfileGrains.Domain;

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
