namespace ProfileGrains.Domain;

/// <summary>
/// Section "ProfileGrains:ContactPolicy": the consent rule per audience and channel (French and EU practice by default:
/// consumers need an opt-in for everything but post; business contacts may be phoned and written to until they object),
/// and frequency caps per channel, so nobody is over-solicited.
/// </summary>
public sealed class ContactPolicyOptions
{
    public Dictionary<ContactChannel, ConsentRule> Consumers { get; set; } = new()
    {
        [ContactChannel.Email] = ConsentRule.OptIn,
        [ContactChannel.Sms] = ConsentRule.OptIn,
        [ContactChannel.Phone] = ConsentRule.OptIn,
        [ContactChannel.Post] = ConsentRule.OptOut,
        [ContactChannel.Push] = ConsentRule.OptIn,
        [ContactChannel.InStore] = ConsentRule.OptIn,
    };

    public Dictionary<ContactChannel, ConsentRule> Businesses { get; set; } = new()
    {
        [ContactChannel.Email] = ConsentRule.OptIn,
        [ContactChannel.Sms] = ConsentRule.OptIn,
        [ContactChannel.Phone] = ConsentRule.OptOut,
        [ContactChannel.Post] = ConsentRule.OptOut,
        [ContactChannel.Push] = ConsentRule.OptIn,
        [ContactChannel.InStore] = ConsentRule.OptIn,
    };

    /// <summary>A channel the table does not name needs an opt-in: when in doubt, ask.</summary>
    public ConsentRule RuleFor(Audience audience, ContactChannel channel) =>
        (audience == Audience.Business ? Businesses : Consumers).GetValueOrDefault(channel, ConsentRule.OptIn);

    public Dictionary<ContactChannel, ContactCap> Caps { get; set; } = new()
    {
        [ContactChannel.Email] = new ContactCap { MaxMessages = 3, Window = CounterWindow.SevenDays },
        [ContactChannel.Sms] = new ContactCap { MaxMessages = 2, Window = CounterWindow.SevenDays },
        [ContactChannel.Phone] = new ContactCap { MaxMessages = 2, Window = CounterWindow.ThirtyDays },
        [ContactChannel.Post] = new ContactCap { MaxMessages = 4, Window = CounterWindow.ThirtyDays },
        [ContactChannel.Push] = new ContactCap { MaxMessages = 5, Window = CounterWindow.SevenDays },
    };

    public void Validate()
    {
        foreach (var (channel, rule) in Consumers.Concat(Businesses))
        {
            if (!Enum.IsDefined(channel) || channel == ContactChannel.All || !Enum.IsDefined(rule))
            {
                throw new InvalidOperationException($"Consumers/Businesses:{channel}: must name a channel (Email, Sms, Phone, Post, Push, InStore) and be OptIn or OptOut.");
            }
        }

        foreach (var (channel, cap) in Caps)
        {
            if (!Enum.IsDefined(channel) || channel == ContactChannel.All || cap.MaxMessages < 0 || cap.Window is CounterWindow.Lifetime || !Enum.IsDefined(cap.Window))
            {
                throw new InvalidOperationException(
                    $"Caps:{channel}: MaxMessages must be 0 or more and Window one of OneHour, OneDay, SevenDays, ThirtyDays, NinetyDays, OneYear.");
            }
        }
    }
}
