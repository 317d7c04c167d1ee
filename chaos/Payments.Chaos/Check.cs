namespace Payments.Chaos;

/// <summary>One invariant checked after a run: what it says, whether it held, and what was seen.</summary>
public sealed record Check(string Phase, string Invariant, bool Held, string Seen);
