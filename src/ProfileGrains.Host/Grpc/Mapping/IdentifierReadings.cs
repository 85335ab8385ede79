using ProfileGrains.Domain;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// A request's identifiers read one by one, by position: each normalized, or null when malformed, with the reason it
/// was rejected at the same position.
/// </summary>
public sealed record IdentifierReadings(IReadOnlyList<CustomerIdentifier?> Normalized, IReadOnlyList<FieldViolation?> Rejections)
{
    public static readonly IdentifierReadings None = new([], []);

    /// <summary>The well-formed ones, each once, in request order.</summary>
    public IReadOnlyList<CustomerIdentifier> Usable { get; } = DistinctInOrder(Normalized);

    // On every request, over at most a request's identifiers (20): a scan, not a hash set.
    private static CustomerIdentifier[] DistinctInOrder(IReadOnlyList<CustomerIdentifier?> normalized)
    {
        var usable = new List<CustomerIdentifier>(normalized.Count);
        foreach (var identifier in normalized)
        {
            if (identifier is { } usableOne && !usable.Contains(usableOne))
            {
                usable.Add(usableOne);
            }
        }

        return [.. usable];
    }

    public void AddRejectionsTo(Violations v)
    {
        foreach (var rejection in Rejections.OfType<FieldViolation>())
        {
            v.Add(rejection.Field, rejection.Description);
        }
    }
}
