namespace ProfileGrains.Domain;

/// <summary>Check digit schemes a loyalty id may carry (<see cref="IdentifierNormalizationOptions.LoyaltyCheckDigit"/>).</summary>
public enum CheckDigitAlgorithm
{
    /// <summary>No check digit: any value that passes the other rules is accepted.</summary>
    None = 0,

    /// <summary>Luhn (mod 10, as on payment cards): the last digit checks the other digits. At least 2 digits.</summary>
    Luhn = 1,

    /// <summary>ISO 7064 MOD 97-10 (as in IBANs): the last two digits make the whole digit string ≡ 1 (mod 97). At least 3 digits.</summary>
    Mod97 = 2,
}
