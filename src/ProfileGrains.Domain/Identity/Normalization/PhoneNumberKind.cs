namespace ProfileGrains.Domain;

/// <summary>
/// Kinds of phone number as libphonenumber classifies them, for <see cref="IdentifierNormalizationOptions.AllowedPhoneTypes"/>.
/// (Our own enum so that configuration and callers do not depend on libphonenumber's types.)
/// </summary>
public enum PhoneNumberKind
{
    FixedLine = 1,
    Mobile = 2,
    TollFree = 3,
    PremiumRate = 4,
    SharedCost = 5,
    Voip = 6,
    PersonalNumber = 7,
    Pager = 8,
    Uan = 9,
    Voicemail = 10,
}
