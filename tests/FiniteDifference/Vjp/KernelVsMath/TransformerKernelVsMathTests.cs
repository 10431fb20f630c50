using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;
using LeanMlirVerify.Calculus.Derivations;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The transformer family's primitives and per-token lifts (src/Vjp/Rules) against the catalog's closed forms, at a
/// batch. Each GELU form against its own closed form: the erf rule (item 61's function) against Φ(x) + xφ(x), the
/// tanh rule training runs against the binding gelu_tanh_has_vjp's derivative.
/// </summary>
public class TransformerKernelVsMathTests
{
    static readonly long[] GeluSizes = [2, 4];
    static readonly long[] SoftmaxSizes = [3, 5];

    static Tensor Pull(HasVjp<Vec, Vec> rule, Tensor x, Tensor dy) => rule.Forward(new Vec(x)).pullback(new Vec(dy)).T;

    static Tensor PullMat(HasVjp<Mat, Mat> rule, Tensor x, Tensor dy) => rule.Forward(new Mat(x)).pullback(new Mat(dy)).T;

    static readonly Batching XDy = Batching.Of("x", "dy");

    [Fact, Evidence(ItemId.pdiv_gelu, EvidenceKind.KernelVsMath)]
    public void PdivGelu_ErfRule_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_gelu, Batching.Of("x"), (p, k) =>
        Jacobian(p.Batch, (int)GeluSizes[k], e => Pull(Activations.GeluErf<Vec>(), p.Stack("x", GeluSizes[k]), e)));

    [Fact, Evidence(ItemId.gelu_has_vjp, EvidenceKind.KernelVsMath)]
    public void GeluHasVjp_ErfRule_KernelEqualsClosedForm() => AssertAll(ItemId.gelu_has_vjp, XDy, (p, k) =>
        Values(Pull(Activations.GeluErf<Vec>(), p.Stack("x", GeluSizes[k]), p.Stack("dy", GeluSizes[k]))));

    [Theory, Evidence(ItemId.gelu_tanh_has_vjp, EvidenceKind.KernelVsMath)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void GeluTanhBinding_TanhRuleTrainingRuns_KernelEqualsClosedForm(KernelStrategy strategy) =>
        AssertAll(ItemId.gelu_tanh_has_vjp, XDy, (p, k) =>
            Values(Pull(Activations.GeluTanh<Vec>(strategy), p.Stack("x", GeluSizes[k]), p.Stack("dy", GeluSizes[k]))));

    /// <summary>
    /// The bound for a float32 kernel against the float64 closed form: a few float32 roundings per entry, relative to
    /// max(1, |closed|) (LayerNorm's reductions over D ≤ 4 add a few more).
    /// </summary>
    const double Float32Tolerance = 64 * 1.1920929e-7;

    static Tensor F32(Tensor t) => t.to_type(ScalarType.Float32);

    /// <summary>Every instance of <paramref name="item"/> with the kernel run in float32: within <see cref="Float32Tolerance"/>.</summary>
    static void AssertAllFloat32(string item, Batching batching, Kernel kernel)
    {
        for (int k = 0; k < DerivationCatalog.Find(item).Instances.Count; k++)
        {
            var r = Compare(item, k, batching, kernel);
            Assert.True(r.MaxRelative <= Float32Tolerance,
                $"{r.Entry} (float32): kernel differs from the closed form at index {r.WorstIndex}: " +
                $"kernel {r.Kernel:R}, closed {r.Closed:R}, rel {r.MaxRelative:E2}");
        }
    }

    // The native strategies in float32, the dtype training runs (the float64 run above binds their formula).
    [Theory, InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void GeluTanhBinding_Float32_KernelEqualsClosedFormToFloat32Rounding(KernelStrategy strategy) =>
        AssertAllFloat32(ItemId.gelu_tanh_has_vjp, XDy, (p, k) =>
            Values(Pull(Activations.GeluTanh<Vec>(strategy), F32(p.Stack("x", GeluSizes[k])), F32(p.Stack("dy", GeluSizes[k])))));

    [Theory, InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void LayerNormHasVjp_Float32_KernelEqualsClosedFormToFloat32Rounding(KernelStrategy strategy) =>
        AssertAllFloat32(ItemId.layerNorm_has_vjp, XDy, (p, k) =>
        {
            long d = LayerNormSizes[k];
            var rule = LayerNorm.Create(F32(p.Get("γ", d)), F32(p.Get("β", d)), strategy: strategy);
            return Values(Pull(rule, F32(p.Stack("x", d)), F32(p.Stack("dy", d))));
        });

    [Fact]
    public void ALayerNormKernelWithoutGamma_IsReportedDifferingInFloat32()
    {
        // Negative case of the float32 bound: the native backward with γ left out (weight = 1) must not pass.
        var r = Compare(ItemId.layerNorm_has_vjp, 0, XDy, (p, instance) =>
        {
            var (x, dy) = (F32(p.Stack("x", 3)), F32(p.Stack("dy", 3)));
            _ = p.Get("γ", 3);
            var (ones, zeros) = (ones_like(x[0]), zeros_like(x[0]));
            var (_, mean, invStd) = NativeKernels.LayerNorm(x, ones, F32(p.Get("β", 3)), LayerNorm.Epsilon);
            return Values(NativeKernels.LayerNormBackward(dy, x, mean, invStd, ones, zeros).Dx);
        });
        Assert.True(r.MaxRelative > Float32Tolerance, $"the γ-less kernel passed: {r}");
    }

    [Fact]
    public void TheTanhRuleAgainstTheErfClosedForm_IsReportedDiffering()
    {
        // The catalog draws points in [−1, 1], where the two derivatives still differ by up to 3.6e-4.
        var r = Compare(ItemId.gelu_has_vjp, 1, XDy, (p, _) =>
            Values(Pull(Activations.GeluTanh<Vec>(), p.Stack("x", 4), p.Stack("dy", 4))));
        Assert.True(r.MaxRelative > 1e-6, $"the tanh rule passed as the erf form's kernel: {r}");
    }

    [Fact, Evidence(ItemId.pdiv_softmax, EvidenceKind.KernelVsMath)]
    public void PdivSoftmax_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_softmax, Batching.Of("z"), (p, k) =>
        Jacobian(p.Batch, (int)SoftmaxSizes[k], e => Pull(new Softmax(), p.Stack("z", SoftmaxSizes[k]), e)));

    [Fact, Evidence(ItemId.softmax_has_vjp, EvidenceKind.KernelVsMath)]
    public void SoftmaxHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.softmax_has_vjp, Batching.Of("z", "dy"), (p, k) =>
        Values(Pull(new Softmax(), p.Stack("z", SoftmaxSizes[k]), p.Stack("dy", SoftmaxSizes[k]))));

    static readonly long[] LayerNormSizes = [3, 4];

    [Theory, Evidence(ItemId.layerNorm_has_vjp, EvidenceKind.KernelVsMath)]
    [InlineData(KernelStrategy.Auto), InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void LayerNormHasVjp_KernelEqualsClosedForm(KernelStrategy strategy) => AssertAll(ItemId.layerNorm_has_vjp, XDy, (p, k) =>
    {
        long d = LayerNormSizes[k];
        return Values(Pull(LayerNorm.Create(p.Get("γ", d), p.Get("β", d), strategy: strategy), p.Stack("x", d), p.Stack("dy", d)));
    });

    static readonly (long rows, long cols)[] TokenSizes = [(2, 3), (3, 2)];
    static readonly Batching XdY = Batching.Of("X", "dY");

    [Fact, Evidence(ItemId.rowSoftmax_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void RowSoftmaxHasVjpMat_KernelEqualsClosedForm() => AssertAll(ItemId.rowSoftmax_has_vjp_mat, Batching.Of("Z", "dY"), (p, k) =>
    {
        var (r, c) = TokenSizes[k];
        return Values(PullMat(Softmax.Rows(), p.Stack("Z", r, c), p.Stack("dY", r, c)));
    });

    [Theory, Evidence(ItemId.layerNorm_per_token_has_vjp_mat, EvidenceKind.KernelVsMath)]
    [InlineData(KernelStrategy.Composed), InlineData(KernelStrategy.Native)]
    public void LayerNormPerTokenHasVjpMat_KernelEqualsClosedForm(KernelStrategy strategy) =>
        AssertAll(ItemId.layerNorm_per_token_has_vjp_mat, XdY, (p, k) =>
    {
        var (n, d) = TokenSizes[k];
        var rule = LayerNorm.PerToken(LayerNorm.Create(p.Get("γ", d), p.Get("β", d), strategy: strategy));
        return Values(PullMat(rule, p.Stack("X", n, d), p.Stack("dY", n, d)));
    });

    static readonly (long n, long d, long m)[] DensePerTokenSizes = [(2, 3, 2), (3, 2, 4)];

    [Fact, Evidence(ItemId.dense_per_token_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void DensePerTokenHasVjpMat_KernelEqualsClosedForm() => AssertAll(ItemId.dense_per_token_has_vjp_mat,
        XdY.Summing(k => (int)(DensePerTokenSizes[k].n * DensePerTokenSizes[k].d)), (p, k) =>
        {
            var (n, d, m) = DensePerTokenSizes[k];
            var dense = new Dense(p.Get("W", d, m), p.Get("b", m));
            var dx = PullMat(TransformerBlocks.DensePerToken(dense), p.Stack("X", n, d), p.Stack("dY", n, m));
            return [.. Values(dx), .. Values(dense.W.Grad), .. Values(dense.B.Grad)];
        });

    // The erf instances through the erf rule lifted per token; the tanh instance through the GeluPerToken training runs.
    [Fact, Evidence(ItemId.gelu_per_token_has_vjp_mat, EvidenceKind.KernelVsMath)]
    public void GeluPerTokenHasVjpMat_EachFormItsRule_KernelEqualsClosedForm() =>
        AssertAll(ItemId.gelu_per_token_has_vjp_mat, XdY, (p, k) =>
    {
        var instance = DerivationCatalog.Find(ItemId.gelu_per_token_has_vjp_mat).Instances[k].Size;
        var (n, d) = instance.StartsWith("X 2×3", StringComparison.Ordinal) ? (2L, 3L) : (3L, 2L);
        var rule = instance.Contains("GELU tanh", StringComparison.Ordinal)
            ? TransformerBlocks.GeluPerToken()
            : MatrixKit.RowWise(Activations.GeluErf<Vec>());
        return Values(PullMat(rule, p.Stack("X", n, d), p.Stack("dY", n, d)));
    });

    // The catalog's SDPA instances are n=2, d=2 and n=3, d=2; the operand differentiated and G differ per sample.
    static readonly (long n, long d)[] SdpaSizes = [(2, 2), (3, 2)];

    static double[] Sdpa(Point p, int k, Func<Func<string, Tensor>, HasVjp<Mat, Mat>> rule, string wrt)
    {
        var (n, d) = SdpaSizes[k];
        var x = p.Stack(wrt, n, d);
        return Values(PullMat(rule(name => p.Get(name, n, d)), x, p.Stack("G", n, d)));
    }

    [Fact, Evidence(ItemId.sdpa_back_Q_correct, EvidenceKind.KernelVsMath)]
    public void SdpaBackQCorrect_KernelEqualsClosedForm() => AssertAll(ItemId.sdpa_back_Q_correct, Batching.Of("Q", "G"),
        (p, k) => Sdpa(p, k, get => Attention.WrtQ(get("K"), get("V")), "Q"));

    [Fact, Evidence(ItemId.sdpa_back_K_correct, EvidenceKind.KernelVsMath)]
    public void SdpaBackKCorrect_KernelEqualsClosedForm() => AssertAll(ItemId.sdpa_back_K_correct, Batching.Of("K", "G"),
        (p, k) => Sdpa(p, k, get => Attention.WrtK(get("Q"), get("V")), "K"));

    [Fact, Evidence(ItemId.sdpa_back_V_correct, EvidenceKind.KernelVsMath)]
    public void SdpaBackVCorrect_KernelEqualsClosedForm() => AssertAll(ItemId.sdpa_back_V_correct, Batching.Of("V", "G"),
        (p, k) => Sdpa(p, k, get => Attention.WrtV(get("Q"), get("K")), "V"));
}
