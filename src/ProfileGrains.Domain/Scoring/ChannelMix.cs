namespace ProfileGrains.Domain;

/// <summary>Where the customer buys: web and app orders are digital, store orders are store.</summary>
public enum ChannelMix
{
    /// <summary>No order in a web, app or store channel (never bought, or only by call centre, email or unspecified).</summary>
    None = 0,

    /// <summary>Only digital orders (web and/or app).</summary>
    WebOnly = 1,

    /// <summary>Only store orders.</summary>
    StoreOnly = 2,

    /// <summary>Both digital and store orders.</summary>
    Omnichannel = 3,
}
