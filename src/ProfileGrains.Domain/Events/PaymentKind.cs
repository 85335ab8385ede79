namespace ProfileGrains.Domain;

/// <summary>How an order was paid: the kind only; the instrument itself is an opaque token, never a card number.</summary>
public enum PaymentKind
{
    Unspecified = 0,
    Card = 1,
    Cash = 2,
    GiftCard = 3,
    Voucher = 4,
    Wallet = 5,
    BankTransfer = 6,
    Instalments = 7,
    Other = 8,
}
