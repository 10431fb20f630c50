using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Differential;

/// <summary>
/// Consistency check, not evidence for the formula (the ledger lists it as kind consistency): the trainer's own float32
/// CPU configuration — libtorch's defaults, oneDNN on — against float64, on every
/// differential case: the hand-derived step-1 gradients in float32 equal the float64 ones (measured against at least
/// 1 % of the largest gradient entry, as <see cref="DifferentialRun"/>). The rest of this assembly turns oneDNN off to
/// compare arithmetic; this check is the one that sees what training computes. It is how the conv weight cotangent's
/// former form, which oneDNN computed 0.5–1.6 relative off in 5 of these cases, would have been caught (README "oneDNN").
/// </summary>
public class Float32TrainingGradientTests(ITestOutputHelper output)
{
    /// <summary>The items the differential cases exercise (<see cref="DifferentialCase.Items"/>).</summary>
    public static IEnumerable<string> ExercisedItems() => DifferentialCatalog.All.SelectMany(c => c.Items).Distinct();

    /// <summary>float32 rounding of the step (measured worst 1.6e-5, the bottleneck case) with 6× room.</summary>
    const double Bound = 1e-4;

    static IReadOnlyList<TensorComparison> Compare(DifferentialCase c, Func<int, Tensor, Tensor>? alter = null)
    {
        var (x, y) = FirstImages.Batches(1)[0];
        LibTorchRuntime.SetMkldnn(true);
        try
        {
            using var exact = HandModel.Create(c.Spec, ScalarType.Float64, CPU);
            using var single = HandModel.Create(c.Spec, ScalarType.Float32, CPU);
            var g64 = exact.Step(x.to(ScalarType.Float64), y, c.Smoothing, 1).Grads
                ?? throw new InvalidOperationException($"{c.Name}: float64 step not finite");
            var g32 = single.Step(x, y, c.Smoothing, 1).Grads ?? throw new InvalidOperationException($"{c.Name}: float32 step not finite");
            double floor = DifferentialRun.ScaleFloor * g64.Max(g => g.abs().max().item<double>());
            return exact.Parameters.Select((p, i) =>
                GradientComparison.Compare(p.Name, alter is null ? g32[i] : alter(i, g32[i]), g64[i], floor)).ToList();
        }
        finally
        {
            LibTorchRuntime.SetMkldnn(false);
        }
    }

    [Theory, MemberData(nameof(DifferentialCaseTests.Cases), MemberType = typeof(DifferentialCaseTests))]
    [EvidenceFrom(EvidenceKind.Consistency, nameof(ExercisedItems))]
    public void Consistency_HandDerivedFloat32Gradients_WithLibTorchDefaults_EqualTheirFloat64(string name)
    {
        using var scope = NewDisposeScope();
        var rows = Compare(DifferentialCatalog.Find(name));
        foreach (var row in rows) output.WriteLine(row.ToString());
        output.WriteLine($"{name}: worst {GradientComparison.RequireWithin(rows, Bound, $"{name} float32 (oneDNN on) vs float64"):E2}");
    }

    [Fact]
    public void AGradientOffByOnePartInAThousand_IsCaught()
    {
        using var scope = NewDisposeScope();
        var rows = Compare(DifferentialCatalog.Find("se"), (i, g) => i == 3 ? g.Mul(1.001) : g);
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(rows, Bound, "se"));
        Assert.Contains("L1.B0.expand.W", e.Message);
    }
}
