namespace ProfileGrains.Domain;

public enum Gender
{
    Unspecified = 0,
    Female = 1,
    Male = 2,
    NonBinary = 3,
    Undisclosed = 4,
}
