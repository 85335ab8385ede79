namespace ProfileGrains.Host.Security;

/// <summary>
/// What an API key may do. Each RPC names the one scope it needs (an authorization policy of the same name); a key
/// holds any number of them. See the README's security section for the table.
/// </summary>
public static class Scopes
{
    /// <summary>Identify, Track, TrackBatch, UpdateProfile: the website, the app and the tills writing.</summary>
    public const string Ingest = "ingest";

    /// <summary>Lookup, GetPersonalization, CanContact: the compact answers a till or a page needs.</summary>
    public const string Lookup = "lookup";

    /// <summary>Whole profiles, identity explanations, segment definitions and membership (count, list, watch).</summary>
    public const string Read = "read";

    /// <summary>PutSegment, DeleteSegment.</summary>
    public const string SegmentsWrite = "segments:write";

    /// <summary>Data-subject operations: export, erasure.</summary>
    public const string Privacy = "privacy";

    /// <summary>Diagnostics, server statistics, quarantine release, unmerge.</summary>
    public const string Admin = "admin";

    /// <summary>IssueCustomerToken: a backend that has authenticated a customer lets them reach their own record.</summary>
    public const string SelfServiceIssuer = "self-service";

    /// <summary>SelfService: held only by a customer token, never by an API key; acts on the token's customer alone.</summary>
    public const string Self = "self";

    /// <summary>Any valid key, whatever its scopes (Echo: a client checking it can reach the engine).</summary>
    public const string Authenticated = "authenticated";

    /// <summary>The scopes an API key may hold.</summary>
    public static readonly IReadOnlyList<string> All = [Ingest, Lookup, Read, SegmentsWrite, Privacy, Admin, SelfServiceIssuer];
}
