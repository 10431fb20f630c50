using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

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

/// <summary>A deliberately wrong dense layer: db = mean over the batch of dy (the sum is right). Equal at batch 1.</summary>
sealed class DenseBiasMean : HasVjp<Vec, Vec>
{
    readonly Tensor w;

    public DenseBiasMean(Tensor w, Tensor b) : base(ItemId.dense_has_vjp, "dense with db averaged over the batch (mutant)")
    {
        this.w = w;
        B = Own(new Parameter("mutant.b", ItemId.dense_bias_grad_correct, b));
    }

    public Parameter B { get; }

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) =>
        (new Vec(matmul(x.T, w).Add(B.Value)), dy =>
        {
            B.Accumulate(dy.T.mean([0L]), Culprit);
            return new Vec(matmul(dy.T, w.t()));
        });
}
