namespace ProfileGrains.Domain;

/// <summary>
/// Derives attributes from what a profile already holds, when it is ingested: a phone's country, an e-mail's kind, a
/// postal code's region, or whatever a deployment plugs in (registered with <c>AddProfileEnricher</c>). It must be a
/// pure function of the profile, with no network call and no clock: enrichment runs again after a journal replay and
/// must give the same answer.
/// </summary>
public interface IProfileEnricher
{
    /// <summary>The parts of the profile it reads ("identifiers", "addresses", "traits"): it runs when one of them may have changed.</summary>
    IReadOnlySet<string> Reads { get; }

    /// <summary>Adds its attributes to <paramref name="into"/> (keys: lowercase, digits and '_').</summary>
    void Enrich(CustomerProfile profile, IDictionary<string, string> into);
}
