using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// The check families that compare with libtorch autograd: the per-rule oracle (<see cref="RuleOracleCases"/>, float64,
/// every tensor within 1e-12) and the differential cases (<see cref="DifferentialCatalog"/>: three Adam steps through the
/// hand-derived graph and the twin, every step-1 gradient tensor and the losses, float64 and float32).
/// </summary>
public static class OracleFamilies
{
    public const string RuleOracleName = "rule oracle", DifferentialName = "differential";

    public static CheckFamily RuleOracle(TwinSet? twins = null) =>
        new(RuleOracleName, $"{RuleOracleCases.Bound:0e0} relative (float64)",
            "each rule's y, dx and parameter cotangents against autograd of its twin, kinks at exact values included",
            scope => RuleOracleRows(scope, twins ?? TwinSet.Default));

    /// <summary>The differential cases on <paramref name="device"/> (CPU by default); a mutant's scope runs float64 only.</summary>
    public static CheckFamily Differential(Device? device = null) =>
        new(DifferentialName, $"{DifferentialCatalog.Float64Bound:0e0} (float64), 1e-6…1e-4 per case (float32)",
            "the book's differential cases and ours: three Adam steps, hand-derived vs autograd twin, step-1 gradients and losses",
            scope => DifferentialRows(scope, device ?? CPU));

    /// <summary>
    /// The book's oracle data: Fashion-MNIST's first training images where installed, else seeded synthetic images in its
    /// layout; with a sentence saying which.
    /// </summary>
    public static (IReadOnlyList<(Tensor X, Tensor Y)> Batches, string Source) DifferentialData() => data.Value;

    static readonly Lazy<(IReadOnlyList<(Tensor X, Tensor Y)>, string)> data = new(() =>
    {
        var (set, source) = DataLocator.MissingMnistFiles(DataLocator.FashionMnistDir).Count == 0
            ? (new DataLocator().Locate(DatasetKind.Mnist).LoadTrain(), "Fashion-MNIST, first training images in file order")
            : (SyntheticData.Train(DatasetKind.Mnist), "synthetic MNIST-layout images (Fashion-MNIST is not installed)");
        var batches = DifferentialRun.Batches(set, DifferentialRun.Steps);
        foreach (var (x, y) in batches)
        {
            x.DetachFromDisposeScope();
            y.DetachFromDisposeScope();
        }
        return (batches, source);
    });

    static IEnumerable<CheckRow> RuleOracleRows(CheckScope scope, TwinSet twins)
    {
        foreach (var c in RuleOracleCases.All)
        {
            var name = $"{c.Rule} {c.Sizes}";
            var row = CheckRow.Guard(RuleOracleName, name, c.Rule, () =>
                RuleOracleCases.Check(c, twins, scope.Reaches) is { } verdict
                    ? new CheckRow(RuleOracleName, name, c.Rule, verdict.Worst, RuleOracleCases.Bound, verdict.Passed, verdict.Detail)
                    : null);
            if (row is not null) yield return row;
        }
    }

    static IEnumerable<CheckRow> DifferentialRows(CheckScope scope, Device device)
    {
        var batches = DifferentialData().Batches;
        ScalarType[] dtypes = scope.ForMutant ? [ScalarType.Float64] : [ScalarType.Float64, ScalarType.Float32];
        foreach (var c in DifferentialCatalog.All)
        {
            if (scope.Reaches is { } reaches && !Reaches(c, reaches)) continue;
            foreach (var dtype in dtypes)
            {
                var name = $"{c.Name} {(dtype == ScalarType.Float64 ? "f64" : "f32")}";
                yield return CheckRow.Guard(DifferentialName, name, c.Name, CheckRow? () =>
                {
                    using var dispose = NewDisposeScope();
                    var r = DifferentialRun.Run(c, dtype, batches, device: device);
                    var problems = r.Problems();
                    var bound = dtype == ScalarType.Float64 ? DifferentialCatalog.Float64Bound : c.Float32Bound;
                    return new CheckRow(DifferentialName, name, c.Name, double.IsFinite(r.WorstRel) ? r.WorstRel : double.NaN, bound,
                        problems.Count == 0, string.Join("; ", problems));
                })!;
            }
        }
    }

    /// <summary>Whether a mutant reaches a differential case: a node of its hand-derived net, or the softmax-CE loss.</summary>
    static bool Reaches(DifferentialCase c, Func<IVjpNode, bool> reaches)
    {
        using var dispose = NewDisposeScope();
        using var hand = HandModel.Create(c.Spec, ScalarType.Float64, CPU);
        return reaches(hand.Network.Root) || reaches(new SoftmaxCrossEntropy(tensor(new long[] { 0 }), c.Smoothing));
    }
}
