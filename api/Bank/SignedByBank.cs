using Payments.Domain;
namespace Payments.Api.Bank;

/// <summary>Endpoint metadata: the request carries the bank's signature (<see cref="BankHeaders"/>) instead of a bearer token.</summary>
internal sealed class SignedByBank
{
    public static readonly SignedByBank Instance = new();

    private SignedByBank()
    {
    }
}
