using System.Security.Cryptography;
using System.Text;

namespace Payments.Activities.Merchants;

/// <summary>Random credentials; an API key is stored only as its SHA-256 (its 256 random bits make a slow hash needless).</summary>
internal static class ApiKeys
{
    public static string NewApiKey() => $"mk_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";

    public static string NewNotifySecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
}
