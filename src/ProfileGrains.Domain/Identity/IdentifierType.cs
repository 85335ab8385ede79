using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace ProfileGrains.Domain;

public enum IdentifierType
{
    Email = 1,
    Phone = 2,
    LoyaltyId = 3,
    AnonymousId = 4,
    CrmId = 5,
}
