namespace ProfileGrains.Domain;

/// <summary>
/// A customer id as identity tables hold it: the engine's own ids (a version-7 GUID in 32 lower-case hex digits) in
/// 16 bytes instead of a 90-byte string; any other id kept as its string. Millions of identity entries make the
/// difference worth a type.
/// </summary>
public readonly struct CompactCustomerId : IEquatable<CompactCustomerId>
{
    private readonly Guid _guid;
    private readonly string? _text;

    private CompactCustomerId(Guid guid, string? text) => (_guid, _text) = (guid, text);

    public static CompactCustomerId From(string customerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return customerId.Length == 32 && Guid.TryParseExact(customerId, "N", out var guid) && IsLowerHex(customerId)
            ? new CompactCustomerId(guid, null)
            : new CompactCustomerId(Guid.Empty, customerId);
    }

    public bool Is(string customerId) => _text is not null ? string.Equals(_text, customerId, StringComparison.Ordinal) : Equals(From(customerId));

    public override string ToString() => _text ?? _guid.ToString("N");

    public bool Equals(CompactCustomerId other) => _guid == other._guid && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is CompactCustomerId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_guid, _text);

    public static bool operator ==(CompactCustomerId left, CompactCustomerId right) => left.Equals(right);

    public static bool operator !=(CompactCustomerId left, CompactCustomerId right) => !left.Equals(right);

    // Upper-case hex parses to the same GUID but prints differently: keep such ids as strings so they round-trip.
    private static bool IsLowerHex(string id)
    {
        foreach (var c in id)
        {
            if (c is >= 'A' and <= 'F')
            {
                return false;
            }
        }

        return true;
    }
}
