using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>The transformer family's kernels (src/Vjp/Rules) against the catalog's closed forms.</summary>
public class TransformerKernelVsMathTests
{
    // The catalog's GELU is the erf form (Definition 57), so it is compared with GeluErf, not the tanh form training runs.
    static readonly long[] GeluSizes = [2, 4];
    static readonly long[] SoftmaxSizes = [3, 5];

    static Tensor Pull(HasVjp<Vec, Vec> rule, Tensor x, Tensor dy) => rule.Forward(new Vec(x)).pullback(new Vec(dy)).T;

    [Fact] public void PdivGelu_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_gelu, (p, k) =>
    {
        long n = GeluSizes[k];
        var x = p.Get("x", 1, n);
        return Jacobian((int)n, e => Values(Pull(Activations.GeluErf<Vec>(), x, e.reshape(1, n))));
    });

    [Fact] public void GeluHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.gelu_has_vjp, (p, k) =>
    {
        long n = GeluSizes[k];
        return Values(Pull(Activations.GeluErf<Vec>(), p.Get("x", 1, n), p.Get("dy", 1, n)));
    });

    [Fact] public void PdivSoftmax_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_softmax, (p, k) =>
    {
        long c = SoftmaxSizes[k];
        var z = p.Get("z", 1, c);
        return Jacobian((int)c, e => Values(Pull(new Softmax(), z, e.reshape(1, c))));
    });

    [Fact] public void SoftmaxHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.softmax_has_vjp, (p, k) =>
    {
        long c = SoftmaxSizes[k];
        return Values(Pull(new Softmax(), p.Get("z", 1, c), p.Get("dy", 1, c)));
    });

    static readonly long[] LayerNormSizes = [3, 4];

    [Fact] public void LayerNormHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.layerNorm_has_vjp, (p, k) =>
    {
        long d = LayerNormSizes[k];
        var rule = LayerNorm.Create(p.Get("γ", d), p.Get("β", d));
        return Values(Pull(rule, p.Get("x", 1, d), p.Get("dy", 1, d)));
    });

    static readonly (long rows, long cols)[] RowSoftmaxSizes = [(2, 3), (3, 2)];

    [Fact] public void RowSoftmaxHasVjpMat_KernelEqualsClosedForm() => AssertAll(ItemId.rowSoftmax_has_vjp_mat, (p, k) =>
    {
        var (r, c) = RowSoftmaxSizes[k];
        var rule = Softmax.Rows();
        return Values(rule.Forward(new Mat(p.Get("Z", 1, r, c))).pullback(new Mat(p.Get("dY", 1, r, c))).T);
    });

    // The catalog's SDPA instances are n=2, d=2 and n=3, d=2; the operand not differentiated is a fixed factor.
    static readonly (long n, long d)[] SdpaSizes = [(2, 2), (3, 2)];

    static double[] Sdpa(Point p, int k, Func<Tensor, Tensor, Tensor, HasVjp<Mat, Mat>> rule, string wrt)
    {
        var (n, d) = SdpaSizes[k];
        Tensor Q = p.Get("Q", n, d), K = p.Get("K", n, d), V = p.Get("V", n, d);
        var x = p.Get(wrt, 1, n, d);
        return Values(rule(Q, K, V).Forward(new Mat(x)).pullback(new Mat(p.Get("G", 1, n, d))).T);
    }

    [Fact] public void SdpaBackQCorrect_KernelEqualsClosedForm() =>
        AssertAll(ItemId.sdpa_back_Q_correct, (p, k) => Sdpa(p, k, (q, kk, v) => Attention.WrtQ(kk, v), "Q"));

    [Fact] public void SdpaBackKCorrect_KernelEqualsClosedForm() =>
        AssertAll(ItemId.sdpa_back_K_correct, (p, k) => Sdpa(p, k, (q, kk, v) => Attention.WrtK(q, v), "K"));

    [Fact] public void SdpaBackVCorrect_KernelEqualsClosedForm() =>
        AssertAll(ItemId.sdpa_back_V_correct, (p, k) => Sdpa(p, k, (q, kk, v) => Attention.WrtV(q, kk), "V"));
}
