using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>Each test: the src/Vjp kernel in float64 equals the src/Calculus closed form at a seeded point (≤ 1e-12 rel).</summary>
public class KernelVsMathTests
{
    // ---- dense (29, 30, 33, 34, 35): W [fanIn, fanOut] in both; the catalog's instances are 3→2 and 2→4 ----
    static readonly (long n, long m)[] DenseSizes = [(3, 2), (2, 4)];

    static (Tensor dx, Dense rule) DensePull(Point p, int k, Tensor dy)
    {
        var (n, m) = DenseSizes[k];
        var rule = new Dense(p.Get("W", n, m), p.Get("b", m));
        var (_, pullback) = rule.Forward(new Vec(p.Get("x", 1, n)));
        return (pullback(new Vec(dy.reshape(1, m))).T, rule);
    }

    static Tensor DenseDy(Point p, int k) => p.Get("dy", DenseSizes[k].m);

    [Fact] public void PdivDense_KernelEqualsClosedForm() =>
        AssertAll(ItemId.pdiv_dense, (p, k) => Jacobian((int)DenseSizes[k].m, e => Values(DensePull(p, k, e).dx)));

    [Fact] public void PdivDenseW_KernelEqualsClosedForm() =>
        AssertAll(ItemId.pdiv_dense_W, (p, k) => Jacobian((int)DenseSizes[k].m, e => Values(DensePull(p, k, e).rule.W.Grad)));

    [Fact] public void DenseHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.dense_has_vjp, (p, k) =>
    {
        var (dx, rule) = DensePull(p, k, DenseDy(p, k));
        return [.. Values(dx), .. Values(rule.W.Grad), .. Values(rule.B.Grad)];
    });

    [Fact] public void DenseWeightGradCorrect_KernelEqualsClosedForm() =>
        AssertAll(ItemId.dense_weight_grad_correct, (p, k) => Values(DensePull(p, k, DenseDy(p, k)).rule.W.Grad));

    [Fact] public void DenseBiasGradCorrect_KernelEqualsClosedForm() =>
        AssertAll(ItemId.dense_bias_grad_correct, (p, k) => Values(DensePull(p, k, DenseDy(p, k)).rule.B.Grad));

    // ---- softmax cross-entropy gradient (32): labels and smoothing as the catalog's instances state them ----
    static readonly (long label, double eps)[] CeInstances = [(0, 0), (2, 0), (1, 0.1)];

    [Fact] public void SoftmaxCeGrad_KernelEqualsClosedForm() => AssertAll(ItemId.softmaxCE_grad, (p, k) =>
    {
        var rule = new SoftmaxCrossEntropy(tensor(new[] { CeInstances[k].label }), CeInstances[k].eps);
        var (_, pullback) = rule.Forward(new Vec(p.Get("z", 1, k == 2 ? 4 : 3 + k)));
        return Values(pullback(new Vec(ones(1, 1, float64))).T);
    });

    // ---- conv2d weight/bias (40, 41) at stride 1 and 2; depthwise (54, 55); 3×3 kernels, SAME padding ----
    static readonly (long c, long o, long h, long w, long s)[] ConvSizes = [(1, 2, 3, 3, 1), (2, 1, 4, 3, 2)];
    static readonly (long c, long h, long w)[] DepthwiseSizes = [(1, 3, 3), (2, 3, 4)];

    static Conv2d ConvPull(Point p, int k)
    {
        var (c, o, h, w, s) = ConvSizes[k];
        var rule = new Conv2d(p.Get("W", o, c, 3, 3), p.Get("b", o), s);
        var (_, pullback) = rule.Forward(new Tensor3(p.Get("x", 1, c, h, w)));
        pullback(new Tensor3(p.Get("dy", 1, o, (h + s - 1) / s, (w + s - 1) / s)));
        return rule;
    }

    static Conv2d DepthwisePull(Point p, int k)
    {
        var (c, h, w) = DepthwiseSizes[k];
        var rule = new Conv2d(p.Get("W", c, 1, 3, 3), p.Get("b", c), 1, depthwise: true);
        var (_, pullback) = rule.Forward(new Tensor3(p.Get("x", 1, c, h, w)));
        pullback(new Tensor3(p.Get("dy", 1, c, h, w)));
        return rule;
    }

    [Fact] public void Conv2dWeightGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.conv2d_weight_grad_has_vjp, (p, k) => Values(ConvPull(p, k).W.Grad));

    [Fact] public void Conv2dBiasGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.conv2d_bias_grad_has_vjp, (p, k) => Values(ConvPull(p, k).B!.Grad));

    [Fact] public void DepthwiseWeightGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.depthwise_weight_grad_has_vjp3, (p, k) => Values(DepthwisePull(p, k).W.Grad));

    [Fact] public void DepthwiseBiasGrad_KernelEqualsClosedForm() =>
        AssertAll(ItemId.depthwise_bias_grad_has_vjp, (p, k) => Values(DepthwisePull(p, k).B!.Grad));

    // ---- BN pieces (44–46, 48–50): the catalog's vector of n is one channel, [1, 1, 1, n]; γ, β are [1] ----
    static Tensor Channel(Point p, string name, long n) => p.Get(name, 1, 1, 1, n);

    static Tensor Pull(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) =>
        rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy.reshape(x.shape))).T;

    static double[] JacobianOf(Func<HasVjp<Tensor3, Tensor3>> rule, Tensor x) =>
        Jacobian((int)x.numel(), e => Values(Pull(rule(), x, e)));

    static BnAffine Affine(Point p) => new(p.Get("γ", 1), p.Get("β", 1));

    [Fact] public void PdivBnAffine_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_bnAffine,
        (p, k) => JacobianOf(() => Affine(p), Channel(p, "v", k == 0 ? 3 : 5)));

    [Fact] public void PdivBnCentered_KernelEqualsClosedForm() =>
        AssertAll(ItemId.pdiv_bnCentered, (p, k) => JacobianOf(() => new BnCentered(), Channel(p, "x", k == 0 ? 3 : 5)));

    [Fact] public void PdivBnIstdBroadcast_KernelEqualsClosedForm() =>
        AssertAll(ItemId.pdiv_bnIstdBroadcast, (p, k) => JacobianOf(() => new BnIstdBroadcast(), Channel(p, "x", k == 0 ? 3 : 4)));

    [Fact] public void BnIstdBroadcastDiff_KernelEqualsClosedForm() =>
        AssertAll(ItemId.bnIstdBroadcast_diff, (p, k) => JacobianOf(() => new BnIstdBroadcast(), Channel(p, "x", k == 0 ? 3 : 4)));

    static double[] NormalizeVjp(HasVjp<Tensor3, Tensor3> rule, Point p, long n) =>
        Values(Pull(rule, Channel(p, "x", n), p.Get("dy", n)));

    [Fact] public void BnNormalizeHasVjp_KernelEqualsClosedForm() =>
        AssertAll(ItemId.bnNormalize_has_vjp, (p, k) => NormalizeVjp(new BnNormalize(1), p, k == 0 ? 3 : 5));

    [Fact] public void BnAffineHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.bnAffine_has_vjp, (p, k) =>
    {
        long n = k == 0 ? 3 : 4;
        var rule = Affine(p);
        var dv = Pull(rule, Channel(p, "v", n), p.Get("dy", n));
        return [.. Values(dv), .. Values(rule.Gamma.Grad), .. Values(rule.Beta.Grad)];
    });

    [Fact] public void BnHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.bn_has_vjp,
        (p, k) => NormalizeVjp(new BatchNorm(p.Get("γ", 1), p.Get("β", 1)), p, k == 0 ? 3 : 4));

    // ---- negative case: BN without the mean term must be reported, naming the entry and the worst index ----
    [Fact] public void BnWithoutMeanTerm_IsReportedDiffering()
    {
        var r = Compare(ItemId.bnNormalize_has_vjp, 0, (p, _) => NormalizeVjp(new BnNormalizeNoMean(), p, 3));
        Assert.True(r.MaxRelative > 1e-3, $"the mutant was not caught: {r}");
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertAll(ItemId.bnNormalize_has_vjp, (p, k) => NormalizeVjp(new BnNormalizeNoMean(), p, k == 0 ? 3 : 5)));
        Assert.Contains(ItemId.bnNormalize_has_vjp, ex.Message);
        Assert.Contains($"at index {r.WorstIndex}", ex.Message);
    }
}
