using Microsoft.Extensions.Logging;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// A customer's profile and how its changes become durable. With a durable journal (postgres mode) each change is
/// journaled before it is acknowledged and the snapshot only shortens replay, so it is written rarely; in memory mode the
/// profile is written to the in-process store only when the customer leaves memory. A change the journal refused was
/// never acknowledged: the whole activation is discarded and the next one reloads what is durable.
/// </summary>
internal sealed class DurableProfile : IStateWriteFollower
{
    private readonly string _customerId;
    private readonly CoalescedState<CustomerProfile> _state;
    private readonly ICustomerJournal _journal;
    private readonly ICustomerDirectory _directory;
    private readonly ISegmentMembershipStore _membership;
    private readonly IGrainBase _grain;
    private readonly ILogger _logger;
    private readonly int _snapshotAfterEntries;

    // The journal sequence the stored snapshot reflects: the tail after it is what an activation would replay.
    private long _snapshotSequence;

    public DurableProfile(
        string customerId,
        IPersistentState<CustomerProfile> state,
        IGrainBase grain,
        ICustomerJournal journal,
        ICustomerDirectory directory,
        ISegmentMembershipStore membership,
        ProfileGrainsOptions options,
        SnapshotWriteGate snapshotWrites,
        ILogger logger)
    {
        _customerId = customerId;
        _journal = journal;
        _directory = directory;
        _membership = membership;
        _grain = grain;
        _logger = logger;
        _snapshotAfterEntries = options.JournaledSnapshotAfterEntries;
        TimeSpan? snapshotInterval = journal.IsDurable ? options.JournaledSnapshotInterval : null;
        _state = new CoalescedState<CustomerProfile>(state, grain, snapshotInterval, this, snapshotWrites);
    }

    public CustomerProfile Value => _state.Value;

    public bool IsDiscarded { get; private set; }

    /// <summary>Erasure began or ended: the customer takes no change and answers no read.</summary>
    public bool IsErased { get; private set; }

    /// <summary>The journal after the stored snapshot has grown long enough for replay to cost more than a snapshot.</summary>
    private bool SnapshotDue => Value.JournalSequence - _snapshotSequence >= _snapshotAfterEntries;

    /// <summary>Holds a customer of its own: created, not merged away, not discarded.</summary>
    public bool IsLive => !IsDiscarded && Value.Exists && Value.MergedInto is null;

    public void ThrowIfDiscarded()
    {
        if (IsDiscarded)
        {
            throw new StorageUnavailableException("this customer is reloading from durable storage; retry");
        }
    }

    /// <summary>A discarded, erased or merged-away record answers nothing itself (callers of a merged one follow it to the survivor).</summary>
    public void ThrowIfUnavailable()
    {
        ThrowIfDiscarded();
        if (IsErased)
        {
            throw new CustomerErasedException(_customerId);
        }

        ThrowIfMergedAway();
    }

    /// <summary>Callers of a record merged into another follow it to the survivor (finishing the merge if needed).</summary>
    public void ThrowIfMergedAway()
    {
        if (Value.MergedInto is { } survivor)
        {
            throw new CustomerMergedException(_customerId, survivor, Value.MergeCompleted, Value.UpdatedAt ?? DateTimeOffset.MinValue);
        }
    }

    /// <summary>Erasure, first step: from now on this activation takes nothing and answers nothing.</summary>
    public void StopForErasure() => IsErased = true;

    /// <summary>
    /// Erasure, last step: the journal, membership rows (of <paramref name="segmentIds"/> at <paramref name="shard"/>),
    /// directory entry and stored state of this customer are deleted, each durably; the profile in memory is emptied.
    /// Each deletion is idempotent, so a retry after a failure finishes the job.
    /// </summary>
    public async Task EraseAsync(int shard, IReadOnlyList<string> segmentIds)
    {
        IsErased = true;
        await _journal.EraseAsync(_customerId);
        await _membership.EraseCustomerAsync(_customerId, shard, segmentIds);
        await _directory.Remove(_customerId);
        await _state.ClearAsync();
        _state.Replace(new CustomerProfile());
    }

    /// <summary>The profile rebuilt by an unmerge takes this one's place; the caller writes it through.</summary>
    public void Replace(CustomerProfile profile) => _state.Replace(profile);

    /// <summary>A change outside the journal; <paramref name="writeSoon"/> false when replay recomputes it anyway.</summary>
    public void MarkDirty(bool writeSoon = true) => _state.MarkDirty(writeSoon);

    public Task OnActivateAsync()
    {
        _snapshotSequence = Value.JournalSequence;
        return _state.OnActivateAsync();
    }

    public Task OnDeactivateAsync(DeactivationReason reason) => _state.OnDeactivateAsync(reason);

    /// <summary>
    /// The stored snapshot may lag: replays the journal after it. True when anything was replayed. A customer being
    /// created has no journal to read (<see cref="NewCustomer"/>).
    /// </summary>
    public async Task<bool> ReplayJournalAsync(CancellationToken cancellationToken)
    {
        if (!_journal.IsDurable || NewCustomer.IsBeingCreated(_customerId))
        {
            return false;
        }

        var tail = await _journal.ReadAfterAsync(_customerId, Value.JournalSequence, cancellationToken);
        foreach (var entry in tail)
        {
            CustomerChanges.Apply(Value, _customerId, entry.Change);
            Value.MarkJournaled(entry.Sequence);
        }

        if (tail.Count > 0)
        {
            _state.MarkDirty(writeSoon: SnapshotDue);
        }

        return tail.Count > 0;
    }

    /// <summary>The sequence number the next journaled change will take (1: the customer's first change).</summary>
    public long NextSequence => Value.JournalSequence + 1;

    /// <summary>
    /// Journals a change already applied in memory, with the segment memberships it moved, and returns its sequence
    /// number once both are durable; a customer's first change also enters it in the directory that back-fills walk.
    /// Completes synchronously when nothing needs to be awaited (memory mode, after the first change).
    /// </summary>
    public ValueTask<long> Append(CustomerChange change, MembershipWrite membership)
    {
        var sequence = NextSequence;
        Value.MarkJournaled(sequence);

        // Durable already: a snapshot only shortens replay, so a short tail needs none.
        _state.MarkDirty(writeSoon: !_journal.IsDurable || SnapshotDue);
        var append = _journal.AppendAsync(_customerId, sequence, change, membership);
        return append.IsCompletedSuccessfully && sequence > 1 ? new ValueTask<long>(sequence) : AwaitAppend(append, sequence);
    }

    /// <summary>
    /// Segment memberships moved by something the journal does not hold (time passing, a merge, a rule change) are
    /// written before any shard hears of them. A refused write discards the activation: the next one evaluates again.
    /// </summary>
    public ValueTask WriteMembership(MembershipWrite membership)
    {
        if (membership.IsEmpty || !_membership.IsDurable)
        {
            return ValueTask.CompletedTask;
        }

        return AwaitMembership(_membership.WriteAsync(_customerId, membership));
    }

    /// <summary>Merge steps are written before they are acknowledged, so an interrupted merge can resume.</summary>
    public async Task WriteThrough()
    {
        _state.MarkDirty();
        try
        {
            await _state.FlushAsync();
        }
        catch (Exception e) when (_journal.IsDurable)
        {
            Discard(e, "merge step");
            throw new StorageUnavailableException("durable storage did not take the merge step; it was not applied, retry");
        }
    }

    private async ValueTask<long> AwaitAppend(ValueTask append, long sequence)
    {
        try
        {
            await append;
        }
        catch (Exception e)
        {
            Discard(e, "change");
            throw new StorageUnavailableException("durable storage did not take the change; it was not applied, retry with the same ids");
        }

        if (sequence == 1)
        {
            await _directory.Register(_customerId);
        }

        return sequence;
    }

    private async ValueTask AwaitMembership(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            Discard(e, "segment membership");
            throw new StorageUnavailableException("durable storage did not take the segment membership; retry");
        }
    }

    private void Discard(Exception cause, string what)
    {
        IsDiscarded = true;
        _state.Discard();
        _grain.DeactivateOnIdle();
        _logger.LogWarning(cause, "Durable write of a {What} failed for customer {CustomerId}; the change was not acknowledged", what, _customerId);
    }

    void IStateWriteFollower.StateWritten() => TruncateJournal();

    private void TruncateJournal()
    {
        _snapshotSequence = Value.JournalSequence;
        if (Value.JournalSequence > 0)
        {
            _journal.Truncate(_customerId, Value.JournalSequence);
        }
    }
}
