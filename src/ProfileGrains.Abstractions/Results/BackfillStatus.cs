namespace ProfileGrains.Abstractions;

public enum BackfillStatus
{
    Pending = 1,
    Running = 2,
    Done = 3,
}
