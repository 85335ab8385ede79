namespace ProfileGrains.Domain.Tests;

public sealed class StitchingTests
{
    private static readonly CustomerIdentifier Crm = new(IdentifierType.CrmId, "crm-1");
    private static readonly CustomerIdentifier Loyalty = new(IdentifierType.LoyaltyId, "LOY1");
    private static readonly CustomerIdentifier Email = new(IdentifierType.Email, "a@b.fr");
    private static readonly CustomerIdentifier Phone = new(IdentifierType.Phone, "+33612345678");
    private static readonly CustomerIdentifier Anonymous = new(IdentifierType.AnonymousId, "device-1");

    [Fact]
    public void Identifiers_are_taken_strongest_first_and_once()
    {
        Assert.Equal([Crm, Loyalty, Email, Phone, Anonymous], Stitching.StrongestFirst([Anonymous, Phone, Email, Phone, Loyalty, Crm]));
    }

    [Fact]
    public void The_request_joins_the_owner_of_its_strongest_usable_identifier()
    {
        Assert.Equal("b", Stitching.ChooseCustomer([null, "b", "c"], _ => false));
        Assert.Equal("c", Stitching.ChooseCustomer(["a", "b", "c"], i => i < 2));
    }

    [Fact]
    public void Unknown_identifiers_with_no_usable_owner_create_a_customer()
    {
        Assert.Null(Stitching.ChooseCustomer([null, null], _ => false));
        Assert.Null(Stitching.ChooseCustomer(["a", null], _ => true));
    }

    [Fact]
    public void When_every_identifier_is_owned_but_refused_the_first_owner_still_answers()
    {
        Assert.Equal("a", Stitching.ChooseCustomer(["a", "b"], _ => true));
    }

    [Fact]
    public void An_anonymous_visitor_signing_in_is_adopted_and_another_persons_device_is_not_merged()
    {
        var otherDevice = new CustomerIdentifier(IdentifierType.AnonymousId, "device-2");
        var ownDevice = new CustomerIdentifier(IdentifierType.AnonymousId, "device-3");
        var newDevice = new CustomerIdentifier(IdentifierType.AnonymousId, "device-4");
        var known = new HashSet<string> { "bob" };

        var roles = Stitching.AnonymousRoles([Email, Anonymous, otherDevice, ownDevice, newDevice], ["alice", "visitor", "bob", "alice", null], known.Contains);

        Assert.Equal([AnonymousRole.Ordinary, AnonymousRole.Adopted, AnonymousRole.AnotherPersonsDevice, AnonymousRole.Ordinary, AnonymousRole.Ordinary], roles);
    }

    [Fact]
    public void Without_a_known_person_in_the_request_anonymous_ids_are_ordinary()
    {
        var other = new CustomerIdentifier(IdentifierType.AnonymousId, "device-2");

        Assert.Equal([AnonymousRole.Ordinary, AnonymousRole.Ordinary], Stitching.AnonymousRoles([Anonymous, other], ["visitor-1", "visitor-2"], _ => true));
        Assert.Equal([AnonymousRole.Ordinary, AnonymousRole.Ordinary], Stitching.AnonymousRoles([Email, Anonymous], [null, "bob"], _ => true));
    }
}
