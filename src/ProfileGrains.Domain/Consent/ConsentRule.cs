namespace ProfileGrains.Domain;

/// <summary>What the law asks before contacting someone on a channel.</summary>
public enum ConsentRule
{
    /// <summary>Prior consent: no answer means no.</summary>
    OptIn = 0,

    /// <summary>Allowed until the person objects: no answer means yes.</summary>
    OptOut = 1,
}

/// <summary>Who a customer is for the contact rules: a consumer (B2C) or a business contact (B2B, the profile names a company).</summary>
public enum Audience
{
    Consumer = 0,
    Business = 1,
}
