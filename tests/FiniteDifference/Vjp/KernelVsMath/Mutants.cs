using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>A deliberately wrong BN normalize: dx = s·(g − x̂·mean(x̂g)), the −mean(g) term dropped.</summary>
sealed class BnNormalizeNoMean() : HasVjp<Tensor3, Tensor3>(ItemId.bnNormalize_has_vjp, "bn normalize without mean term (mutant)")
{
    static readonly long[] StatDims = [0, 2, 3];

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var centered = x.T - x.T.mean(StatDims, keepdim: true);
        var s = centered.Square().mean(StatDims, keepdim: true).Add(BnNormalize.Epsilon).rsqrt();
        var xhat = centered * s;
        return (new Tensor3(xhat), dy => new Tensor3(s * (dy.T - xhat * (xhat * dy.T).mean(StatDims, keepdim: true))));
    }
}
