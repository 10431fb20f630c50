using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The algebra's combinators (chain, additive and multiplicative fan-in) on the catalog's concrete instances:
/// softmax after dense, softmax + dense, softmax ⊙ tanh(dense); the matrix chain and fan-in with row softmax.
/// </summary>
public class CombinatorKernelVsMathTests
{
    static Tensor Pull<TA, TB>(HasVjp<TA, TB> rule, TA x, TB dy) where TA : IValue<TA> where TB : IValue<TB> =>
        rule.Forward(x).pullback(dy).T;

    static HasVjp<Vec, Vec> Tanh() =>
        new Elementwise<Vec>(ItemId.pdiv, "tanh", x => x.tanh(), (x, y) => (y * y).RSub(1));

    [Fact] public void VjpComp_KernelEqualsClosedForm() => AssertAll(ItemId.vjp_comp, (p, k) =>
    {
        long n = k == 0 ? 3 : 2, m = k == 0 ? 2 : 4;
        var rule = new Dense(p.Get("W", n, m), p.Get("b", m)).Then(new Softmax());
        return Values(Pull(rule, new Vec(p.Get("x", 1, n)), new Vec(p.Get("dy", 1, m))));
    });

    [Fact] public void BiPathHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.biPath_has_vjp, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        var rule = Compose.Add(new Softmax(), new Dense(p.Get("W", n, n), p.Get("b", n)));
        return Values(Pull(rule, new Vec(p.Get("x", 1, n)), new Vec(p.Get("dy", 1, n))));
    });

    [Fact] public void ElemwiseProductHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.elemwiseProduct_has_vjp, (p, k) =>
    {
        long n = k == 0 ? 2 : 3;
        var rule = Compose.Multiply(new Softmax(), new Dense(p.Get("W", n, n), p.Get("b", n)).Then(Tanh()));
        return Values(Pull(rule, new Vec(p.Get("x", 1, n)), new Vec(p.Get("dy", 1, n))));
    });

    [Fact] public void VjpMatComp_KernelEqualsClosedForm() => AssertAll(ItemId.vjpMat_comp, (p, k) =>
    {
        var (r, c, m) = k == 0 ? (2L, 3L, 2L) : (3L, 2L, 3L);
        var rule = MatrixKit.MatmulRightConst(p.Get("B", c, m)).Then(Softmax.Rows());
        return Values(Pull(rule, new Mat(p.Get("X", 1, r, c)), new Mat(p.Get("dy", 1, r, m))));
    });

    [Fact] public void BiPathMatHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.biPathMat_has_vjp, (p, k) =>
    {
        var (r, c) = k == 0 ? (2L, 3L) : (3L, 2L);
        var rule = Compose.Add(Softmax.Rows(), MatrixKit.MatmulRightConst(p.Get("B", c, c)));
        return Values(Pull(rule, new Mat(p.Get("X", 1, r, c)), new Mat(p.Get("dy", 1, r, c))));
    });
}
