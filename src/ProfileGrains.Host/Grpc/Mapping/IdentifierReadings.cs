using ProfileGrains.Domain;

namespace ProfileGrains.Host.Grpc;

/// <summary>A request's identifiers read one by one: each normalized, or null when malformed (its reasons in <see cref="Rejections"/>).</summary>
public sealed record IdentifierReadings(IReadOnlyList<CustomerIdentifier?> Normalized, IReadOnlyList<FieldViolation> Rejections)
{
    /// <summary>The well-formed ones, each once, in request order.</summary>
    public IReadOnlyList<CustomerIdentifier> Usable { get; } = [.. Normalized.OfType<CustomerIdentifier>().Distinct()];

    /// <summary>The reasons identifier <paramref name="index"/> was rejected, by its field path (e.g. identifiers[1].value).</summary>
    public IEnumerable<FieldViolation> RejectionsOf(string field, int index) =>
        Rejections.Where(r => r.Field == $"{field}[{index}]" || r.Field.StartsWith($"{field}[{index}].", StringComparison.Ordinal));
}
