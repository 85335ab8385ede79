namespace ProfileGrains.Domain;

/// <summary>The pure decisions of identity resolution: which identifier counts first, and which customer a request joins.</summary>
public static class Stitching
{
    /// <summary>Identifiers that name a person more reliably come first.</summary>
    public static int Strength(CustomerIdentifier id) => id.Type switch
    {
        IdentifierType.CrmId => 0,
        IdentifierType.LoyaltyId => 1,
        IdentifierType.Email => 2,
        IdentifierType.Phone => 3,
        _ => 4,
    };

    /// <summary>Distinct identifiers, strongest first (stable for equal strength).</summary>
    public static CustomerIdentifier[] StrongestFirst(IEnumerable<CustomerIdentifier> identifiers) =>
        identifiers is IReadOnlyList<CustomerIdentifier> { Count: 1 } single ? [single[0]] : [.. identifiers.Distinct().OrderBy(Strength)];

    /// <summary>
    /// The customer a request joins, given each identifier's owner (null: unknown) in strength order: the owner of the
    /// strongest identifier that may be used. When none may, and every identifier has an owner, the first owner still
    /// answers (nothing can be linked, but the request is attributed); otherwise null, and a customer is created.
    /// </summary>
    public static string? ChooseCustomer(IReadOnlyList<string?> owners, Func<int, bool> refused)
    {
        for (var i = 0; i < owners.Count; i++)
        {
            if (owners[i] is not null && !refused(i))
            {
                return owners[i];
            }
        }

        return owners.Any(o => o is null) ? null : owners.FirstOrDefault(o => o is not null);
    }

    /// <summary>Every identifier but an anonymous (cookie or device) id names a person; an anonymous id names a browser.</summary>
    public static bool NamesAPerson(CustomerIdentifier id) => id.Type != IdentifierType.AnonymousId;

    /// <summary>
    /// What each anonymous id of a request does when the request also names a person who is already known (a login).
    /// The customer its anonymous id belongs to is then either an anonymous visitor, who is that person browsing before
    /// signing in (<see cref="AnonymousRole.Adopted"/>: merged, and never counted against the person's merge limits),
    /// or another known person (<see cref="AnonymousRole.AnotherPersonsDevice"/>: a shared browser or device says
    /// nothing about who is who, so nothing is merged). Anonymous ids of the person themself, of nobody yet, or of a
    /// request that names no known person stay <see cref="AnonymousRole.Ordinary"/>.
    /// </summary>
    /// <param name="identifiers">The request's identifiers.</param>
    /// <param name="owners">Each identifier's customer, or null.</param>
    /// <param name="holdsAPerson">Whether a customer (the owner of an anonymous id, not named by a person identifier of the request) holds any person identifier.</param>
    public static AnonymousRole[] AnonymousRoles(IReadOnlyList<CustomerIdentifier> identifiers, IReadOnlyList<string?> owners, Func<string, bool> holdsAPerson)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(holdsAPerson);
        var roles = new AnonymousRole[identifiers.Count];
        var knownPeople = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (NamesAPerson(identifiers[i]) && owners[i] is { } owner)
            {
                knownPeople.Add(owner);
            }
        }

        if (knownPeople.Count == 0)
        {
            return roles;
        }

        for (var i = 0; i < identifiers.Count; i++)
        {
            if (!NamesAPerson(identifiers[i]) && owners[i] is { } owner && !knownPeople.Contains(owner))
            {
                roles[i] = holdsAPerson(owner) ? AnonymousRole.AnotherPersonsDevice : AnonymousRole.Adopted;
            }
        }

        return roles;
    }
}

/// <summary>See <see cref="Stitching.AnonymousRoles"/>.</summary>
public enum AnonymousRole
{
    Ordinary = 0,
    Adopted = 1,
    AnotherPersonsDevice = 2,
}
