using System.Globalization;
using Microsoft.Extensions.Options;
using Payments.Activities.Bank;
using Payments.Domain;

namespace Payments.Api.Bank;

/// <summary>
/// The bank's signature on a request: <c>X-Bank-Signature</c> = hex HMAC-SHA256(bank secret, <c>X-Bank-Timestamp + "." + raw body</c>),
/// compared in constant time, with the timestamp within ±300 s of now (a replayed old request is refused).
/// </summary>
internal sealed class BankSignature(IOptions<BankSecretOptions> secret, TimeProvider clock)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(300);

    /// <summary>Why the request is not the bank's, or null when it is.</summary>
    public string? Check(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (!long.TryParse(headers[BankHeaders.Timestamp], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"{BankHeaders.Timestamp} must be the unix time in seconds.";
        }
        var skew = Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - (double)timestamp);
        if (skew > MaxSkew.TotalSeconds)
        {
            return $"{BankHeaders.Timestamp} is more than {MaxSkew.TotalSeconds} s away from now.";
        }
        return Signatures.Verify(secret.Value.BankSecret!, timestamp, body, headers[BankHeaders.Signature]) ? null : $"{BankHeaders.Signature} does not match the body.";
    }

    /// <summary>
    /// The raw body, which the signature covers byte for byte. Like every JSON endpoint, one that is not
    /// <c>application/json</c> is 415, before the signature is looked at; Kestrel refuses one over the limit with 413.
    /// </summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("The body must be application/json.", StatusCodes.Status415UnsupportedMediaType);
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
