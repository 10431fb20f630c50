using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// The transformer family's primitives against autograd: each GELU form against libtorch's own gelu kernel of that
/// form (its backward is libtorch's, not composed), LayerNorm against layer_norm, softmax, the three SDPA operands,
/// packed multi-head SDPA, the MHSA layer with its projections, the patch embedding, its CLS-and-positions step and
/// the CLS readout. float32 bounds c·eps32·√n with n the longest reduction: c = 4 for elementwise maps, softmax and
/// attention, 16 for LayerNorm (a cancelling mean and variance, as BN).
/// </summary>
[Collection(OracleCollection.Name)]
public class TransformerOracleTests(ITestOutputHelper output)
{
    const long B = 3, N = 5, D = 6;

    static Mat Tokens(Init init) => new(init.Point(B, N, D));

    // Over [-9, 9]: where the two GELU forms differ most (their derivatives by 8.7e-4 at |x| ≈ 2.02) and the tails.
    static Vec Spread(Init init) => new(init.Point(B, 40).Mul(3));

    static OracleCase<Vec, Vec> Gelu(Init init, bool tanh, Vec x, KernelStrategy strategy = KernelStrategy.Auto) =>
        new(tanh ? Activations.GeluTanh<Vec>(strategy) : Activations.GeluErf<Vec>(), (t, _) => TwinOps.Gelu(t, tanh), x);

    // Native runs the very kernel the twin's backward runs (not independent: NativeKernels.Uses); Composed is our own.
    [Theory, Evidence(ItemId.gelu_tanh_has_vjp, EvidenceKind.Oracle)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void GeluTanh_CotangentMatchesLibtorchsTanhGelu(KernelStrategy strategy) =>
        OracleHarness.Check(init => Gelu(init, true, Spread(init), strategy), 4, 1, output);

    [Fact, Evidence(ItemId.gelu_has_vjp, EvidenceKind.Oracle)]
    public void GeluErf_CotangentMatchesLibtorchsExactGelu() => OracleHarness.Check(init => Gelu(init, false, Spread(init)), 4, 1, output);

    /// <summary>0, ±1e-8, the points where the forms differ most, and tails where tanh and erf saturate (x³ = 1e6 at 100).</summary>
    [Theory, InlineData(true, KernelStrategy.Composed), InlineData(true, KernelStrategy.Native), InlineData(false, KernelStrategy.Auto)]
    public void Gelu_AtZeroTheFormsLargestGapAndSaturatedTails_MatchesLibtorch(bool tanh, KernelStrategy strategy) =>
        OracleHarness.Check(init => Gelu(init, tanh, new Vec(tensor(SpecialPoints).view(1, -1).to(init.Dtype, init.Device)), strategy),
            4, 1, output);

    static readonly double[] SpecialPoints = [0, 1e-8, -1e-8, 2.0187, -2.0187, 2.6989, -2.6989, 5, -5, 10, -10, 30, -30, 100, -100];

    [Theory, InlineData(true), InlineData(false)]
    public void AGeluCheckedAgainstTheOtherForm_IsReported(bool tanh)
    {
        // Honest binding: each form is the other's wrong answer, by far more than any bound (derivative gap 8.7e-4).
        var result = OracleHarness.Run(init => new OracleCase<Vec, Vec>(tanh ? Activations.GeluTanh<Vec>() : Activations.GeluErf<Vec>(),
            (t, _) => TwinOps.Gelu(t, !tanh), Spread(init)), ScalarType.Float64, CPU);
        Assert.True(result.Get("dx").MaxRel > 1e-4, result.ToString());
        Assert.Throws<GradientMismatchException>(() => result.Require(OracleHarness.Float64Bound));
    }

    [Theory, Evidence(ItemId.layerNorm_has_vjp, EvidenceKind.Oracle)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void LayerNorm_CotangentsMatchAutograd(KernelStrategy strategy) =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(LayerNorm.Create(init.Point(D), init.Point(D), strategy: strategy),
            (x, p) => TwinOps.LayerNorm(x, p[0], p[1]), new Vec(init.Point(4, D))), 16, D * 4, output);

    [Theory, Evidence(ItemId.layerNorm_per_token_has_vjp_mat, EvidenceKind.Oracle)]
    [InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void LayerNormPerToken_WithAConstantToken_CotangentsMatchAutograd(KernelStrategy strategy) =>
        // Token 0 of each image is constant (variance 0: only ε keeps LayerNorm smooth there).
        OracleHarness.Check(init =>
        {
            var x = init.Point(B, N, D);
            using var level = 0.75.ToScalar();
            x.select(1, 0).fill_(level);
            return new OracleCase<Mat, Mat>(LayerNorm.PerToken(LayerNorm.Create(init.Point(D), init.Point(D), strategy: strategy)),
                (t, p) => TwinOps.LayerNorm(t, p[0], p[1]), new Mat(x));
        }, 16, B * N, output);

    [Fact, Evidence(ItemId.softmax_has_vjp, EvidenceKind.Oracle)]
    public void Softmax_CotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Vec, Vec>(new Softmax(), (x, _) => TwinOps.Softmax(x), new Vec(init.Point(B, 7).Mul(4))),
            4, 7, output);

    [Fact, Evidence(ItemId.rowSoftmax_has_vjp_mat, EvidenceKind.Oracle)]
    public void RowSoftmax_CotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Mat, Mat>(Softmax.Rows(), (x, _) => TwinOps.Softmax(x), Tokens(init)), 4, D, output);

    [Fact, Evidence(ItemId.sdpa_back_Q_correct, EvidenceKind.Oracle)]
    public void SdpaWrtQ_CotangentMatchesAutograd() => Sdpa(0);

    [Fact, Evidence(ItemId.sdpa_back_K_correct, EvidenceKind.Oracle)]
    public void SdpaWrtK_CotangentMatchesAutograd() => Sdpa(1);

    [Fact, Evidence(ItemId.sdpa_back_V_correct, EvidenceKind.Oracle)]
    public void SdpaWrtV_CotangentMatchesAutograd() => Sdpa(2);

    void Sdpa(int wrt) => OracleHarness.Check(init =>
    {
        var (q, k, v) = (init.Point(N, D), init.Point(N, D), init.Point(N, D));
        Tensor Batch(Tensor t) => t.expand(B, N, D);
        return wrt switch
        {
            0 => new OracleCase<Mat, Mat>(Attention.WrtQ(k, v), (x, _) => TwinOps.Sdpa(x, Batch(k), Batch(v)), Tokens(init)),
            1 => new OracleCase<Mat, Mat>(Attention.WrtK(q, v), (x, _) => TwinOps.Sdpa(Batch(q), x, Batch(v)), Tokens(init)),
            _ => new OracleCase<Mat, Mat>(Attention.WrtV(q, k), (x, _) => TwinOps.Sdpa(Batch(q), Batch(k), x), Tokens(init)),
        };
    }, 4, N * D, output);

    [Fact, Evidence(ItemId.mhsa_has_vjp_mat, EvidenceKind.Oracle)]
    public void MultiHeadSdpa_PackedQkv_CotangentMatchesAutograd()
    {
        const long heads = 2, dh = 3;
        OracleHarness.Check(init => new OracleCase<Mat, Mat>(Attention.MultiHead(heads, dh), (x, _) =>
        {
            Tensor Heads(long block) => x.narrow(2, block * heads * dh, heads * dh).view(B, N, heads, dh).transpose(1, 2);
            return TwinOps.Sdpa(Heads(0), Heads(1), Heads(2)).transpose(1, 2).reshape(B, N, heads * dh);
        }, new Mat(init.Point(B, N, 3 * heads * dh))), 4, N * dh, output);
    }

    [Fact, Evidence(ItemId.mhsa_layer_flat_diff, EvidenceKind.Oracle)]
    public void MhsaLayer_WithProjections_CotangentsMatchAutograd() =>
        // The key bias's gradient is zero in exact arithmetic (softmax ignores a shift shared by a row): against the case's scale.
        OracleHarness.Check(init => new OracleCase<Mat, Mat>(OracleParameters.Spread(Attention.Layer(D, 2, init), init),
            (x, p) => TwinOps.Mhsa(x, 2, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]), Tokens(init)),
            4, B * N, output, vanishing: t => t.EndsWith(".k.b", StringComparison.Ordinal));

    [Fact, Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Oracle)]
    public void PatchEmbed_CotangentsMatchAutograd()
    {
        const long ic = 2, patch = 3, grid = 2, patches = grid * grid;
        OracleHarness.Check(init => new OracleCase<Tensor3, Mat>(
            PatchEmbed.Create(init.Point(D, ic, patch, patch), init.Point(D), init.Point(D), init.Point(patches + 1, D)),
            (x, p) => TwinBlocks.PatchEmbed(x, new ParamCursor(p, "twin patch embedding"), ic, D, patch, patches),
            new Tensor3(init.Point(B, ic, grid * patch, grid * patch))), 4, B * patches, output);
    }

    [Fact, Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Oracle)]
    public void ClsAndPositions_CotangentsMatchAutograd() =>
        OracleHarness.Check(init => new OracleCase<Mat, Mat>(new ClsAndPositions(init.Point(D), init.Point(N + 1, D)),
            (x, p) => cat([p[0].expand(B, 1, D), x], 1).Add(p[1]), Tokens(init)), 1, B, output);

    [Fact, Evidence(ItemId.pdiv_reindex, EvidenceKind.Oracle)]
    public void ClsToken_CotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Mat, Vec>(Layout.ClsToken(), (x, _) => x.select(1, 0), Tokens(init)), 0, 1, output);
}

/// <summary>Parameters moved off their initial constants (zero biases, unit γ) so that every gradient is generic.</summary>
static class OracleParameters
{
    public static HasVjp<TIn, TOut> Spread<TIn, TOut>(HasVjp<TIn, TOut> rule, Init init)
        where TIn : IValue<TIn> where TOut : IValue<TOut>
    {
        using (no_grad())
            foreach (var p in rule.Parameters) p.Value.copy_(init.Normal(p.Value.shape, 0.5));
        return rule;
    }
}
