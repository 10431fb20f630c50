using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// How <see cref="BatchNorm"/> runs a training step. All compute item 50 (normalize, item 48, then affine, item 49);
/// they differ in how many passes over x they make. Training asks for <see cref="Auto"/>; tests force each member
/// (ARCHITECTURE principle 7), and a test requires a catalog entry for every member.
/// </summary>
public enum BnStrategy
{
    /// <summary>What training runs: <see cref="Native"/> on every device (measured in <see cref="BnStrategies.Resolve"/>).</summary>
    Auto,

    /// <summary>The composition <see cref="BnNormalize"/> then <see cref="BnAffine"/>, each with its own pullback.</summary>
    Composed,

    /// <summary>One rule for both steps: two channel reductions and two fused passes for dx (see <see cref="BatchNorm"/>).</summary>
    Fused,

    /// <summary>
    /// The fused form's closed form computed by libtorch's own kernels (<c>native_batch_norm</c> and its backward, through
    /// <see cref="NativeKernels"/>): one native pass for the statistics and y, one for dγ, dβ and dx.
    /// </summary>
    Native,
}

/// <summary>What <see cref="BnStrategy.Auto"/> resolves to, and the strategies' short names.</summary>
public static class BnStrategies
{
    // Native on every device, where a rule may not have a path that only one device runs. Measured on the CPU in one
    // `lmv bench` process each (twin / hand, then the hand step's peak memory; 2 shared cores under load, so two runs each):
    // cifar-bn --batch 32 --steps 8: Fused 0.71×, 0.87×, 110 MiB; Native 0.91×, 0.96×, 93–97 MiB (171 → 123 tensors a step);
    // resnet34 --batch 8 --steps 3: Fused 0.35×, 0.89×, 825–868 MiB; Native 0.97×, 1.10×, 743–757 MiB (1,907 → 1,475).
    public static BnStrategy Resolve(BnStrategy requested) => requested == BnStrategy.Auto ? BnStrategy.Native : requested;

    public static string Name(BnStrategy s) => s.ToString().ToLowerInvariant();
}

// Item 50 in one rule. The composed pullback makes eleven passes over x-sized tensors: the affine step's dγ product and
// two sums and its γ·dy, then the normalize step's two sums again and four more for N·g − Σg − x̂·Σ(x̂·g) and the scale.
// But the two sums are the same ones: Σ_bhw dy = dβ and Σ_bhw dy·x̂ = dγ (with g = γ·dy they are γ·dβ and γ·dγ). So
// dx = (γ·s/N)·(N·dy − dβ − x̂·dγ) = c₀ + c₁·x̂ + (γ·s)·dy, c₀ = −(γ·s/N)·dβ, c₁ = −(γ·s/N)·dγ (per
// channel),
// five passes: dβ, the product x̂·dy and its sum dγ, then dx = addcmul(c₀, x̂, c₁) and dx += (γ·s)·dy in place. The
// forward takes variance and mean in one call and y = β + x̂·γ in one pass. x̂ stays (x − μ)·s, not x·s − μ·s, which
// would cancel catastrophically when |μ| ≫ σ.
public sealed partial class BatchNorm
{
    static readonly long[] StatDims = [0, 2, 3];

    (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) RunFused(Tensor3 x)
    {
        long channels = Affine.Gamma.Value.shape[0];
        Shapes.Require(x.T, [-1, channels, -1, -1], Culprit, "x");
        var n = x.T.numel() / channels;
        var (variance, mean) = var_mean(x.T, StatDims, unbiased: false, keepdim: true);
        var s = variance.Add(BnNormalize.Epsilon).rsqrt();
        var xhat = (x.T - mean).mul_(s);
        Normalize.RecordBatchStats(mean.view(-1), variance.view(-1));
        var gamma = Affine.Gamma.Value.view(1, -1, 1, 1);
        var y = Affine.Beta.Value.view(1, -1, 1, 1).Addcmul(xhat, gamma, 1);
        return (new Tensor3(y), dy =>
        {
            var g = dy.T;
            var dBeta = g.sum(StatDims);
            var dGamma = (xhat * g).sum(StatDims);
            Affine.Gamma.Accumulate(dGamma, Culprit);
            Affine.Beta.Accumulate(dBeta, Culprit);
            var scale = gamma * s;
            var k = scale.Div(-n);
            var dx = (k * dBeta.view(1, -1, 1, 1)).Addcmul(xhat, k * dGamma.view(1, -1, 1, 1), 1);
            return new Tensor3(dx.AddcmulInPlace(g, scale, 1));
        });
    }
}
