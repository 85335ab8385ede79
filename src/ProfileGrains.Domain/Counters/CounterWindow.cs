namespace ProfileGrains.Domain;

public enum CounterWindow
{
    OneHour = 1,
    OneDay = 2,
    SevenDays = 3,
    ThirtyDays = 4,
    NinetyDays = 5,
    OneYear = 6,
    Lifetime = 7,
}
