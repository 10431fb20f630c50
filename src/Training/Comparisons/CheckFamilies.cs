using LeanMlirVerify.Vjp.Checking;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// Every check family, in the order <c>lmv check</c> prints them: symbolic, the book's FD checks, FD at stated
/// configurations, FD properties at random shapes, the per-rule autograd oracle, the differential cases.
/// </summary>
public static class CheckFamilies
{
    public static IReadOnlyList<CheckFamily> All(Device? device = null) =>
        [.. VjpFamilies.All, OracleFamilies.RuleOracle(), OracleFamilies.Differential(device)];

    /// <summary>The families <c>lmv check --fd</c> runs: the book's checks, the stated configurations, the properties.</summary>
    public static IReadOnlyList<CheckFamily> FiniteDifferences => [VjpFamilies.Book, VjpFamilies.Configurations, VjpFamilies.Property];

    public static CheckFamily Find(string name, Device? device = null) =>
        All(device).FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"no check family '{name}'");
}
