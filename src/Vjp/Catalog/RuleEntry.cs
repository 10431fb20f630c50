using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// One catalog entry: a rule or combinator, the ledger item it realises, its sampling domain in words, and a factory
/// that draws sizes and a point inside that domain from <see cref="Init"/> and returns a checkable case.
/// <paramref name="Runs"/> is how many random cases the property suite draws (fewer for whole blocks).
/// </summary>
public sealed record RuleEntry(string Id, string Item, string Domain, Func<Init, CheckCase> Build, int Runs = 12)
{
    /// <summary>
    /// The ledger items a check of this entry compares with central differences: <see cref="Item"/> and the cotangent
    /// item of every parameter the entry builds (read from one case; the property evidence of the ledger is these).
    /// </summary>
    public IReadOnlyList<string> CheckedItems()
    {
        using var scope = NewDisposeScope();
        return [.. Build(Init.Float64Cpu(1)).Parameters.Select(p => p.Item).Prepend(Item).Distinct()];
    }
}

/// <summary>Report helpers for catalog cases.</summary>
public static class Sample
{
    /// <summary>Formats sizes for reports: "B=2 C=3 H=5".</summary>
    public static string Sizes(params (string name, long value)[] sizes) =>
        string.Join(" ", sizes.Select(s => $"{s.name}={s.value}"));
}
