namespace ProfileGrains.Domain;

/// <summary>
/// The consent a segment's members must hold on top of its rule, so that a list used for a campaign never holds
/// someone who refused or withdrew: a member's consent changing re-evaluates the segment like any other trait.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ActivationConsent")]
public sealed record ActivationConsent(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentPurpose Purpose)
{
    public bool PermittedBy(CustomerProfile profile) => ContactPolicy.Permits(profile, Channel, Purpose);
}
