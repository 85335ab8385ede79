namespace ProfileGrains.Domain;

/// <summary>Built in: the French département and region of the first French address, from its postal code.</summary>
public sealed class FrenchAddressEnricher : IProfileEnricher
{
    public IReadOnlySet<string> Reads { get; } = new HashSet<string>(["addresses"], StringComparer.Ordinal);

    public void Enrich(CustomerProfile profile, IDictionary<string, string> into)
    {
        var department = FrenchGeography.DepartmentOf(profile.Traits);
        ContactEnricher.Put(into, "department", department);
        ContactEnricher.Put(into, "region", FrenchGeography.Region(department));
    }
}
