namespace ProfileGrains.Domain;

/// <summary>
/// What a consent decision is for. Marketing is 0 so that every decision stored before purposes existed keeps meaning
/// what it meant: permission to send marketing on its channel.
/// </summary>
public enum ConsentPurpose
{
    Marketing = 0,
    Personalization = 1,
    Profiling = 2,
    PartnerSharing = 3,

    /// <summary>One of the retailer's own purposes (ProfileGrains:ConsentPurposes), named by the decision's PurposeName.</summary>
    Custom = 4,
}
