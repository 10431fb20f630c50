using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using Xunit.Abstractions;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Differential;

/// <summary>
/// The book's differential cases (training facts §2.3), each trained three Adam steps from identical parameters and
/// batches through the hand-derived graph and the autograd twin, in float64 and float32: every step-1 gradient tensor
/// compared, and the losses of steps 1–3 reported beside the book's step-2 figure.
/// </summary>
public class DifferentialCaseTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => [.. DifferentialCatalog.All.Select(c => c.Name)];

    [Theory, MemberData(nameof(Cases))]
    [Evidence(ItemId.dense_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.softmaxCE_grad, EvidenceKind.Oracle)]
    [Evidence(ItemId.relu_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.vjp_comp, EvidenceKind.Oracle)]
    [Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.conv2d_bias_grad_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.bn_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.bnNormalize_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.bnAffine_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.residual_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.biPath3_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Oracle)]
    [Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.elemwiseProduct_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.mhsa_has_vjp_mat, EvidenceKind.Oracle)]
    [Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Oracle)]
    [Evidence(ItemId.layerNorm_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.gelu_tanh_has_vjp, EvidenceKind.Oracle)]
    public void Case_Step1GradientsAndStep1To3LossesMatchTheAutogradTwin(string name)
    {
        using var scope = NewDisposeScope();
        var c = DifferentialCatalog.Find(name);
        var batches = FirstImages.Batches(DifferentialRun.Steps);
        output.WriteLine($"{c.Name}: {c.Exercises}; data: {FirstImages.Source}");
        var f64 = DifferentialRun.Run(c, ScalarType.Float64, batches);
        var f32 = DifferentialRun.Run(c, ScalarType.Float32, batches);
        foreach (var r in new[] { f64, f32 }) output.WriteLine(r.Row());
        foreach (var row in f32.Step1) output.WriteLine($"  f32 {row}");

        Assert.Equal(ParamTensors.Of(c.Spec).Count, f64.Step1.Count);
        Assert.Empty(f64.Problems());
        Assert.Empty(f32.Problems());
    }

    [Fact]
    public void AGradientOffByAPositiveFactor_IsCaughtByTheTensorComparison_ThoughTheBooksStep2LossMissesIt()
    {
        using var scope = NewDisposeScope();
        var c = DifferentialCatalog.Find("convbn");
        // A wrong rule: the conv kernel's pullback scaled by 1.001 (as a missing or extra factor would).
        var r = DifferentialRun.Run(c, ScalarType.Float64, FirstImages.Batches(DifferentialRun.Steps), (i, g) => i == 0 ? g.Mul(1.001) : g);
        output.WriteLine(r.Row());
        var e = Assert.Throws<GradientMismatchException>(
            () => GradientComparison.RequireWithin(r.Step1, DifferentialCatalog.Float64Bound, c.Name));
        Assert.Contains("L0.W", e.Message);
        Assert.Contains(r.Problems(), p => p.Contains("L0.W"));
        Assert.Single(r.Step1, row => !row.Within(DifferentialCatalog.Float64Bound));
        // Adam's first update is ≈ lr·sign(g): the scaled gradient moves the weights the same way, so the book's
        // step-2 loss check (tolerance 1e-5) cannot see it.
        Assert.True(r.LossDelta(2) < 1e-9, $"step-2 loss Δ {r.LossDelta(2):E2}");
    }

    [Fact]
    public void ASignFlipOnOneGradientTensor_IsCaughtInFloat32()
    {
        using var scope = NewDisposeScope();
        var c = DifferentialCatalog.Find("conv-pool");
        var r = DifferentialRun.Run(c, ScalarType.Float32, FirstImages.Batches(DifferentialRun.Steps), (i, g) => i == 2 ? -g : g);
        output.WriteLine(r.Row());
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(r.Step1, c.Float32Bound, c.Name));
        Assert.Contains("L3.W", e.Message);
        Assert.True(r.Step1[2].MaxRel > 1, $"a flipped sign is an error of about twice the gradient: {r.Step1[2]}");
        Assert.True(r.LossDelta(2) > 1e-5, $"the step-2 loss moves too: Δ {r.LossDelta(2):E2}");
    }
}
