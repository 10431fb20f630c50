using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using Xunit.Abstractions;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// The twin's patchEmbed and transformerEncoder against the trainer's graph on a small ViT (16×16 image, 4×4 patches,
/// dim 16, 2 heads, 2 blocks), float64: every gradient tensor and the loss.
/// </summary>
public class TransformerTwinTests(ITestOutputHelper output)
{
    const double Bound = 1e-10;

    static readonly NetSpec SmallVit = new("small-vit", [
        Layer.PatchEmbed(3, 16, 4, 16),
        Layer.TransformerEncoder(16, 2, 32, 2),
        Layer.Dense(16, 10, Activation.Identity),
    ], 16, 16);

    [Fact, Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Oracle)]
    public void SmallVit_EveryGradientTensorEqualsTheAutogradTwin()
    {
        using var scope = NewDisposeScope();
        var step = HandTwinStep.Run(SmallVit, 0.1);
        foreach (var row in step.Rows) output.WriteLine(row.ToString());
        output.WriteLine($"loss hand {step.HandLoss:R}, twin {step.TwinLoss:R}");
        Assert.Equal(ParamTensors.Of(SmallVit).Count + 1, step.Rows.Count);
        // Only the key biases vanish (their gradient is zero in exact arithmetic); every other tensor is compared on its own scale.
        Assert.Equal(["L1.B0.k.b", "L1.B1.k.b"], step.VanishingRows.Select(r => r.Name));
        Assert.True(step.LossDifference <= 1e-12 * Math.Max(1, Math.Abs(step.TwinLoss)), $"loss {step.HandLoss:R} vs {step.TwinLoss:R}");
        step.RequireWithin(Bound, SmallVit.Name);
    }

    [Fact]
    public void TwinWithQueryAndKeyKernelsSwapped_IsCaught()
    {
        using var scope = NewDisposeScope();
        var tensors = ParamTensors.Of(SmallVit);
        var init = new Vjp.Algebra.Init(ScalarType.Float64, CPU, 5);
        var parameters = tensors.Select(t => init.Normal(t.Shape, 0.3)).ToList();
        var x = rand([2, 3 * 16 * 16], ScalarType.Float64, generator: new Generator(7));
        var labels = tensor(new long[] { 3, 8 });
        var (_, right) = TwinStep.Run(SmallVit, parameters, x, labels);

        int q = tensors.ToList().FindIndex(t => t.Name == "L1.B0.q.W"), k = tensors.ToList().FindIndex(t => t.Name == "L1.B0.k.W");
        (parameters[q], parameters[k]) = (parameters[k], parameters[q]);
        var swapped = TwinStep.Run(SmallVit, parameters, x, labels).Grads.ToList();
        (swapped[q], swapped[k]) = (swapped[k], swapped[q]);

        var rows = tensors.Select((t, i) => GradientComparison.Compare(t.Name, swapped[i], right[i])).ToList();
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(rows, Bound, SmallVit.Name));
        Assert.Contains("L1.B0.q.W", e.Message);
    }

    [Fact]
    public void AKeyBiasGradientThatShouldVanishButDoesNot_IsCaught()
    {
        using var scope = NewDisposeScope();
        var step = HandTwinStep.Run(SmallVit, 0.1, alter: (i, g) => ParamTensors.Of(SmallVit)[i].Name == "L1.B1.k.b" ? g.Add(1e-9) : g);
        var e = Assert.Throws<GradientMismatchException>(() => step.RequireWithin(Bound, SmallVit.Name));
        Assert.Contains("L1.B1.k.b", e.Message);
    }
}
