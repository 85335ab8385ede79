using System.Collections.Concurrent;

namespace ProfileGrains.Grains;

/// <summary>Memory mode: the ledger lives as long as this process, like everything else.</summary>
public sealed class InProcessErasureLedger : IErasureLedger
{
    private readonly ConcurrentDictionary<string, ErasureAudit> _audits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ErasureIntent> _pending = new(StringComparer.Ordinal);

    public Task<ErasureAudit?> FindAsync(string requestId) => Task.FromResult(_audits.GetValueOrDefault(requestId));

    public Task BeginAsync(ErasureIntent intent)
    {
        if (_audits.TryAdd(intent.RequestId, new ErasureAudit(intent.RequestId, intent.Requester, intent.RequestedAt, null, 0, 0)))
        {
            _pending[intent.RequestId] = intent;
        }

        return Task.CompletedTask;
    }

    public Task<ErasureIntent?> FindPendingAsync(string requestId) => Task.FromResult(_pending.GetValueOrDefault(requestId));

    public Task CompleteAsync(string requestId, int records, int identifiers, DateTimeOffset completedAt)
    {
        _pending.TryRemove(requestId, out _);
        _audits.AddOrUpdate(
            requestId,
            id => new ErasureAudit(id, string.Empty, completedAt, completedAt, records, identifiers),
            (_, audit) => audit.CompletedAt is null ? audit with { CompletedAt = completedAt, Records = records, Identifiers = identifiers } : audit);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ErasureIntent>> PendingAsync(DateTimeOffset startedBefore, int max) =>
        Task.FromResult<IReadOnlyList<ErasureIntent>>([.. _pending.Values.Where(i => i.RequestedAt < startedBefore).OrderBy(i => i.RequestedAt).Take(max)]);
}
