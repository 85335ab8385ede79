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
}
