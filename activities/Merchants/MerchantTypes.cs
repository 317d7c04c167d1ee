using Payments.Domain;

namespace Payments.Activities.Merchants;

public sealed record NewMerchant(string MerchantId, string Name, string Currency, int FeeBps = Money.DefaultFeeBps);

public sealed record Merchant(string MerchantId, string Name, string Currency, int FeeBps, PartyStatus Status);

/// <summary>The answer to a merchant's creation: the only time its API key is ever seen.</summary>
public sealed record MerchantCredentials(Merchant Merchant, string ApiKey, string NotifySecret);

public sealed record User(string UserId, string Name, PartyStatus Status);
