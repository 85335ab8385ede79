namespace ProfileGrains.Domain;

public enum Channel
{
    Unspecified = 0,
    Web = 1,
    App = 2,
    Store = 3,
    CallCentre = 4,
    Email = 5,
}
