using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ProfileGrains.Domain;

/// <summary>
/// A small map in one array of pairs, searched in order. A profile keeps a dozen maps of one to fifty entries (spend per
/// currency, orders per store, counters per event type, interests) by the million: a <see cref="Dictionary{TKey,TValue}"/>
/// costs three objects and ~240 bytes for one entry, this two objects and 24 bytes plus the pairs. Only for maps bounded
/// to a few dozen keys: every lookup is a scan.
/// </summary>
[GenerateSerializer, Alias("pg.CompactDictionary`2")]
public sealed class CompactDictionary<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    [Id(0)] private KeyValuePair<TKey, TValue>[] _pairs = [];
    [Id(1)] private int _count;

    // Only the shared empty map (CompactDictionary.Read): never serialized, so every map read back is changeable.
    [NonSerialized] private readonly bool _readOnly;

    public CompactDictionary()
    {
    }

    internal CompactDictionary(bool readOnly) => _readOnly = readOnly;

    public CompactDictionary(IEnumerable<KeyValuePair<TKey, TValue>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            this[key] = value;
        }
    }

    public int Count => _count;

    public bool IsReadOnly => _readOnly;

    /// <summary>A copy, in insertion order: for views, not for hot paths (enumerate the map instead).</summary>
    public ICollection<TKey> Keys
    {
        get
        {
            var keys = new TKey[_count];
            for (var i = 0; i < _count; i++)
            {
                keys[i] = _pairs[i].Key;
            }

            return keys;
        }
    }

    /// <summary>A copy, in insertion order: for views, not for hot paths (enumerate the map instead).</summary>
    public ICollection<TValue> Values
    {
        get
        {
            var values = new TValue[_count];
            for (var i = 0; i < _count; i++)
            {
                values[i] = _pairs[i].Value;
            }

            return values;
        }
    }

    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;

    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

    private Span<KeyValuePair<TKey, TValue>> Pairs => _pairs.AsSpan(0, _count);

    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no entry for {key}");
        set
        {
            ThrowIfReadOnly();
            var index = IndexOf(key);
            if (index >= 0)
            {
                _pairs[index] = new(_pairs[index].Key, value);
                return;
            }

            if (_count == _pairs.Length)
            {
                // One slot at a time while small (most of these maps hold one or two keys), then by half.
                Array.Resize(ref _pairs, _count < 4 ? _count + 1 : _count + (_count / 2));
            }

            _pairs[_count++] = new(key, value);
        }
    }

    public TValue? GetValueOrDefault(TKey key) => TryGetValue(key, out var value) ? value : default;

    public TValue GetValueOrDefault(TKey key, TValue fallback) => TryGetValue(key, out var value) ? value : fallback;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            value = _pairs[index].Value;
            return true;
        }

        value = default;
        return false;
    }

    public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

    public void Add(TKey key, TValue value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"an entry for {key} already exists", nameof(key));
        }

        this[key] = value;
    }

    public bool Remove(TKey key)
    {
        ThrowIfReadOnly();
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        Array.Copy(_pairs, index + 1, _pairs, index, _count - index - 1);
        _pairs[--_count] = default;
        return true;
    }

    public void Clear()
    {
        ThrowIfReadOnly();
        _pairs = [];
        _count = 0;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    void ICollection<KeyValuePair<TKey, TValue>>.CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => Pairs.CopyTo(array.AsSpan(arrayIndex));

    bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> item) =>
        ((ICollection<KeyValuePair<TKey, TValue>>)this).Contains(item) && Remove(item.Key);

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new NotSupportedException("the shared empty map cannot change: change the owner's map instead");
        }
    }

    private int IndexOf(TKey key)
    {
        var pairs = Pairs;
        for (var i = 0; i < pairs.Length; i++)
        {
            if (EqualityComparer<TKey>.Default.Equals(pairs[i].Key, key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>In insertion order; a change during enumeration is not detected, so do not change the map while reading it.</summary>
    public struct Enumerator(CompactDictionary<TKey, TValue> map) : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private int _index = -1;

        public readonly KeyValuePair<TKey, TValue> Current => map._pairs[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < map._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}

/// <summary>Moving maps stored as dictionaries by earlier builds into their compact form.</summary>
public static class CompactDictionary
{
    /// <summary>For reading: the map, the one a stored dictionary becomes, or the shared empty map; never creates an empty one.</summary>
    public static CompactDictionary<TKey, TValue> Read<TKey, TValue>(ref CompactDictionary<TKey, TValue>? map, ref Dictionary<TKey, TValue>? legacy)
        where TKey : notnull =>
        map ?? (legacy is null ? EmptyMap<TKey, TValue>.Instance : Write(ref map, ref legacy));

    /// <summary>For changing: the map, created (from a stored dictionary, if any) the first time it is needed.</summary>
    public static CompactDictionary<TKey, TValue> Write<TKey, TValue>(ref CompactDictionary<TKey, TValue>? map, ref Dictionary<TKey, TValue>? legacy)
        where TKey : notnull
    {
        if (map is null)
        {
            map = legacy is null ? [] : new CompactDictionary<TKey, TValue>(legacy);
            legacy = null;
        }

        return map;
    }

    /// <summary>
    /// An empty map that refuses changes: what a profile shows for a map it has not needed yet, so that reading one (a
    /// lookup of a customer who never bought reads the spend per currency) creates nothing.
    /// </summary>
    private static class EmptyMap<TKey, TValue>
        where TKey : notnull
    {
        public static readonly CompactDictionary<TKey, TValue> Instance = new(readOnly: true);
    }
}
