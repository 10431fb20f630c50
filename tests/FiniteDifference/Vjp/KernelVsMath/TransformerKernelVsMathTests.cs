using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Transformer;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>The transformer family's kernels (src/Vjp/Transformer) against the catalog's closed forms.</summary>
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
        return Jacobian((int)n, e => Values(Pull(TransformerActivations.GeluErf<Vec>(), x, e.reshape(1, n))));
    });

    [Fact] public void GeluHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.gelu_has_vjp, (p, k) =>
    {
        long n = GeluSizes[k];
        return Values(Pull(TransformerActivations.GeluErf<Vec>(), p.Get("x", 1, n), p.Get("dy", 1, n)));
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
}
