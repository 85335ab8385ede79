namespace ProfileGrains.Domain;

/// <summary>
/// The consent a segment's members must hold on top of its rule, so that a list used for a campaign never holds
/// someone who refused or withdrew: a member's consent changing re-evaluates the segment like any other trait.
/// For marketing, the channel's rule for the member's audience (<see cref="ContactPolicyOptions"/>, as CanContact reads
/// it) decides whether silence is enough: each silo binds the rules in force (<see cref="BoundTo"/>); unbound, only post
/// is opt-out. Other purposes always need a granted decision.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ActivationConsent")]
public sealed record ActivationConsent(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentPurpose Purpose,
    [property: Id(2)] string? PurposeName = null)
{
    // Not serialized: bound where the segment is evaluated, from that silo's policy table.
    [NonSerialized]
    private ConsentRule _consumerRule = ContactPolicy.NeedsOptIn(Channel) ? ConsentRule.OptIn : ConsentRule.OptOut;

    [NonSerialized]
    private ConsentRule _businessRule = ContactPolicy.NeedsOptIn(Channel) ? ConsentRule.OptIn : ConsentRule.OptOut;

    /// <summary>The same requirement, reading silence by the channel's rules in <paramref name="policy"/>.</summary>
    public ActivationConsent BoundTo(ContactPolicyOptions policy)
    {
        var bound = this with { };
        bound._consumerRule = policy.RuleFor(Audience.Consumer, Channel);
        bound._businessRule = policy.RuleFor(Audience.Business, Channel);
        return bound;
    }

    /// <summary>
    /// A decision in force says whether the member may be used; without one, only marketing by a channel that is opt-out
    /// for the member's audience.
    /// </summary>
    public bool PermittedBy(CustomerProfile profile) =>
        profile.ConsentRecordFor(Channel, Purpose, PurposeName) is { } record
            ? record.Allows
            : Purpose == ConsentPurpose.Marketing
                && (ContactPolicy.AudienceOf(profile) == Audience.Business ? _businessRule : _consumerRule) == ConsentRule.OptOut;
}
