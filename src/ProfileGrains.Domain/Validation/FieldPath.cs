using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// A request field's protobuf path (<c>event.purchase.items[2].sku</c>), kept in parts and joined only when a violation
/// names it: validating a valid request, the engine's every call, builds no path strings. Up to four parts, with one
/// index after the third; a plain string converts to a path.
/// </summary>
public readonly struct FieldPath
{
    private readonly string _root;
    private readonly string? _second;
    private readonly string? _third;
    private readonly int _index;
    private readonly string? _fourth;

    public FieldPath(string root)
        : this(root, null, null, -1, null)
    {
    }

    private FieldPath(string root, string? second, string? third, int index, string? fourth) =>
        (_root, _second, _third, _index, _fourth) = (root, second, third, index, fourth);

    public static implicit operator FieldPath(string path) => new(path);

    /// <summary>The field <paramref name="name"/> of this one.</summary>
    public FieldPath Then(string name) =>
        _second is null ? new(_root, name, null, -1, null)
        : _third is null ? new(_root, _second, name, -1, null)
        : _fourth is null && _index >= 0 ? new(_root, _second, _third, _index, name)
        : new(ToString() + "." + name);

    /// <summary>Element <paramref name="index"/> of this repeated field (the third part).</summary>
    public FieldPath At(int index) =>
        _third is not null && _index < 0 && _fourth is null ? new(_root, _second, _third, index, null) : new(ToString() + $"[{index}]");

    public override string ToString()
    {
        if (_second is null)
        {
            return _root;
        }

        var path = new StringBuilder(_root).Append('.').Append(_second);
        if (_third is not null)
        {
            path.Append('.').Append(_third);
        }

        if (_index >= 0)
        {
            path.Append('[').Append(_index).Append(']');
        }

        if (_fourth is not null)
        {
            path.Append('.').Append(_fourth);
        }

        return path.ToString();
    }
}
