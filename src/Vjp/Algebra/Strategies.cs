namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>What the strategy enums (BN, conv, activation, max pool) share: a member named Auto, the rest forcible.</summary>
public static class Strategies
{
    /// <summary>Every member but Auto: the strategies tests force, each with its catalog entry, mutant and oracle case.</summary>
    public static IReadOnlyList<T> Forced<T>() where T : struct, Enum => [.. Enum.GetValues<T>().Where(s => s.ToString() != "Auto")];
}
