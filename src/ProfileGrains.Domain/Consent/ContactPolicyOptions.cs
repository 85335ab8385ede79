namespace ProfileGrains.Domain;

/// <summary>Section "ProfileGrains:ContactPolicy": frequency caps per channel, so nobody is over-solicited.</summary>
public sealed class ContactPolicyOptions
{
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
