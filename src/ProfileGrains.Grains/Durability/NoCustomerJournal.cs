using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Memory mode: state lives in this process only, so there is nothing to journal.</summary>
public sealed class NoCustomerJournal : ICustomerJournal
{
    public bool IsDurable => false;

    public ValueTask AppendAsync(string customerId, long sequence, CustomerChange change, MembershipWrite? membership = null) => ValueTask.CompletedTask;

    public Task<IReadOnlyList<JournalEntry>> ReadAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<JournalEntry>>([]);

    public void Truncate(string customerId, long throughSequence)
    {
    }

    public Task EraseAsync(string customerId) => Task.CompletedTask;
}
