using Microsoft.Extensions.Options;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Checks the whole <see cref="ProfileGrainsOptions"/> tree before the engine serves anything, and names the key of
/// every bad value (<c>ProfileGrains:SegmentShards must be …</c>), so a misconfigured engine stops at start-up.
/// </summary>
public sealed class ProfileGrainsOptionsValidator : IValidateOptions<ProfileGrainsOptions>
{
    private const string Root = ProfileGrainsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ProfileGrainsOptions options)
    {
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Binds and validates the tree from configuration, for decisions taken before services exist (ports, storage).</summary>
    public static ProfileGrainsOptions Load(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<ProfileGrainsOptions>(configuration.GetSection(Root)) ?? new ProfileGrainsOptions();
        var result = new ProfileGrainsOptionsValidator().Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(Root, typeof(ProfileGrainsOptions), result.Failures) : options;
    }

    private static IEnumerable<string> Problems(ProfileGrainsOptions o)
    {
        if (o.DefaultPhoneRegion is not null)
        {
            yield return $"{Root}:DefaultPhoneRegion has moved: set {Root}:Identifiers:DefaultPhoneRegion instead.";
        }

        if (!o.IsDurable && !string.Equals(o.Storage, "memory", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{Root}:Storage '{o.Storage}' is not supported; use 'memory' or 'postgres'.";
        }

        foreach (var (key, port) in new[] { ("GrpcPort", o.GrpcPort), ("SiloPort", o.SiloPort), ("GatewayPort", o.GatewayPort) })
        {
            if (port is < 0 or > 65535 || (port == 0 && key != "GrpcPort"))
            {
                yield return $"{Root}:{key} must be a TCP port (1-65535{(key == "GrpcPort" ? ", or 0 for any free port" : string.Empty)}); was {port}.";
            }
        }

        if (o.WebPort is < -1 or > 65535)
        {
            yield return $"{Root}:WebPort must be a TCP port (1-65535), 0 for any free port or -1 for none; was {o.WebPort}.";
        }

        foreach (var origin in o.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                yield return $"{Root}:AllowedOrigins must be origins such as https://shop.example.com (scheme, host, optional port, no path); was '{origin}'.";
            }
        }

        foreach (var (key, value) in new[] { ("ClusterId", o.ClusterId), ("ServiceId", o.ServiceId), ("ListenAddress", o.ListenAddress) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return $"{Root}:{key} is required.";
            }
        }

        foreach (var (key, value) in Intervals(o))
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Root}:{key} must be a positive duration such as 00:00:05; was {value}.";
            }
        }

        if (o.ConsentPurposes.Count > Limits.MaxCustomPurposes
            || o.ConsentPurposes.Any(p => !ConsentDecision.IsPurposeName(p))
            || o.ConsentPurposes.Distinct(StringComparer.Ordinal).Count() != o.ConsentPurposes.Count)
        {
            yield return $"{Root}:{nameof(o.ConsentPurposes)} must list at most {Limits.MaxCustomPurposes} distinct names of 1-{Limits.MaxPurposeNameLength} of a-z, 0-9 and '_', each starting with a letter; was {string.Join(", ", o.ConsentPurposes)}.";
        }

        if (o.RetentionInactivity < TimeSpan.Zero)
        {
            yield return $"{Root}:{nameof(o.RetentionInactivity)} must be a duration such as 1095.00:00:00 (three years), or 00:00:00 to keep quiet customers; was {o.RetentionInactivity}.";
        }

        foreach (var (key, value, min, max) in Counts(o))
        {
            if (value < min || value > max)
            {
                yield return $"{Root}:{key} must be between {min} and {max}; was {value}.";
            }
        }

        foreach (var problem in DomainProblems(o))
        {
            yield return problem;
        }
    }

    private static IEnumerable<(string, TimeSpan)> Intervals(ProfileGrainsOptions o) =>
    [
        (nameof(o.StateFlushInterval), o.StateFlushInterval),
        (nameof(o.JournaledSnapshotInterval), o.JournaledSnapshotInterval),
        (nameof(o.WakeupTickInterval), o.WakeupTickInterval),
        (nameof(o.ResidentTimeCheckInterval), o.ResidentTimeCheckInterval),
        (nameof(o.SegmentRefreshInterval), o.SegmentRefreshInterval),
        (nameof(o.SegmentShardRereadInterval), o.SegmentShardRereadInterval),
        (nameof(o.ErasureResumeInterval), o.ErasureResumeInterval),
        (nameof(o.RetentionSweepInterval), o.RetentionSweepInterval),
        (nameof(o.RetentionTickInterval), o.RetentionTickInterval),
        (nameof(o.TimelineMaxAge), o.TimelineMaxAge),
        (nameof(o.CustomerIdleAge), o.CustomerIdleAge),
    ];

    private static IEnumerable<(string, int, int, int)> Counts(ProfileGrainsOptions o) =>
    [
        (nameof(o.JournaledSnapshotAfterEntries), o.JournaledSnapshotAfterEntries, 1, 10_000),
        (nameof(o.MaxConcurrentSnapshotWrites), o.MaxConcurrentSnapshotWrites, 1, 64),
        (nameof(o.SegmentShards), o.SegmentShards, 1, 1024),
        (nameof(o.SegmentChangeLogCapacity), o.SegmentChangeLogCapacity, 1, 10_000_000),
        (nameof(o.BackfillConcurrency), o.BackfillConcurrency, 1, 1024),
        (nameof(o.BackfillPageSize), o.BackfillPageSize, 1, 100_000),
        (nameof(o.WakeupShards), o.WakeupShards, 1, 1024),
        (nameof(o.IdentityShards), o.IdentityShards, 1, 65_536),
        (nameof(o.IdentityCacheCapacity), o.IdentityCacheCapacity, 2, 100_000_000),
        (nameof(o.TimelineMaxEntries), o.TimelineMaxEntries, 1, 10_000),
    ];

    /// <summary>The domain's own option types check themselves; their messages are prefixed with the branch they came from.</summary>
    private static IEnumerable<string> DomainProblems(ProfileGrainsOptions o)
    {
        var checks = new (string Branch, Action Check)[]
        {
            ("Identifiers", () => _ = new IdentifierNormalizer(o.Identifiers)),
            ("IdentityKeySecret", () => _ = new IdentityKeyHasher(o.IdentityKeySecret)),
            ("IdentityProtection", () => _ = new IdentityProtectionPolicy(o.IdentityProtection)),
            ("ContactPolicy", o.ContactPolicy.Validate),
            ("Scoring", o.Scoring.Validate),
        };
        foreach (var (branch, check) in checks)
        {
            string? problem = null;
            try
            {
                check();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                problem = $"{Root}:{branch}: {e.Message}";
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }
    }
}
