namespace ProfileGrains.Domain;

public enum ContactChannel
{
    Email = 1,
    Sms = 2,
    Phone = 3,
    Post = 4,
    Push = 5,
}
