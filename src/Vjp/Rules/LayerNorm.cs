using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// LayerNorm is BatchNorm on another axis (item 60 rests on 50): each vector [D] is normalised over its own entries
/// (biased variance, ε = 1e-5), then y = γ·x̂ + β per feature. Composed from BN's pieces, with no backward code of its own:
/// the normalize step is BN centering ⊙ BN inverse-std broadcast (items 45, 46, multiplicative fan-in 12) with each
/// vector laid out as a BN channel; the affine step is <see cref="BnAffine"/> with each feature laid out as a channel.
/// The fan-in of the two normalize paths sums to BN's three-term pullback (s/D)(D·g − Σg − x̂·Σ(x̂·g)).
/// Under <see cref="KernelStrategy.Native"/> (what Auto runs) the same map is one primitive, <see cref="LayerNormNative"/>.
/// </summary>
/// <remarks>
/// <see cref="BnNormalize"/> (the fused 3-term kernel) fixes its channel count at construction and tracks running
/// statistics, so it cannot take one channel per token of a batch whose size varies; hence the composition.
/// </remarks>
public static class LayerNorm
{
    public const double Epsilon = BnNormalize.Epsilon;

    /// <summary>LayerNorm over vectors [N, D] with γ, β [D] (item 60).</summary>
    public static HasVjp<Vec, Vec> Create(Tensor gamma, Tensor beta, string name = "ln", KernelStrategy strategy = KernelStrategy.Auto)
    {
        var suffix = KernelStrategies.Suffix(strategy);
        if (KernelStrategies.Resolve(strategy) == KernelStrategy.Native)
            return new LayerNormNative(gamma, beta, $"{name} {gamma.shape[0]}{suffix}", name);
        var normalize = Layout.RowsAsChannels()
            .Then(Compose.Multiply(new BnCentered(), new BnIstdBroadcast()))
            .Then(Layout.ChannelsAsRows());
        var affine = Layout.FeaturesAsChannels().Then(new BnAffine(gamma, beta, name)).Then(MatrixKit.Flatten());
        return Compose.Named(ItemId.layerNorm_has_vjp, $"{name} {gamma.shape[0]}{suffix}", normalize.Then(affine));
    }

    /// <summary>γ = 1, β = 0.</summary>
    public static HasVjp<Vec, Vec> Create(long dim, Init init, string name = "ln", KernelStrategy strategy = KernelStrategy.Auto) =>
        Create(init.Ones(dim), init.Zeros(dim), name, strategy);

    /// <summary>LayerNorm of every token of a matrix [B, T, D] (item 72 = row-wise lift 25 of item 60).</summary>
    public static HasVjp<Mat, Mat> PerToken(long dim, Init init, string name = "ln", KernelStrategy strategy = KernelStrategy.Auto) =>
        PerToken(Create(dim, init, name, strategy));

    public static HasVjp<Mat, Mat> PerToken(HasVjp<Vec, Vec> layerNorm) =>
        Compose.Named(ItemId.layerNorm_per_token_has_vjp_mat, $"per-token {layerNorm.Label}", MatrixKit.RowWise(layerNorm));
}

/// <summary>
/// Item 60 as one primitive (<see cref="KernelStrategy.Native"/>): libtorch's <c>native_layer_norm</c> forward and
/// <c>native_layer_norm_backward</c> pullback, which compute the composition's closed form dx = γ·s·(g − mean(g) −
/// x̂·mean(x̂·g)) with g = dy (the γ inside), dγ = Σ dy·x̂, dβ = Σ dy (kernel-vs-math binds the two in float64 and
/// float32). γ and β keep the composition's names, so a network's parameter order does not depend on the strategy.
/// </summary>
public sealed class LayerNormNative : HasVjp<Vec, Vec>
{
    internal LayerNormNative(Tensor gamma, Tensor beta, string label, string name) : base(ItemId.layerNorm_has_vjp, label)
    {
        Shapes.Require(beta, [gamma.shape[0]], Culprit, "β");
        Gamma = Own(new Parameter($"{name}.γ", ItemId.layerNorm_has_vjp, gamma));
        Beta = Own(new Parameter($"{name}.β", ItemId.layerNorm_has_vjp, beta));
        input = [-1, gamma.shape[0]];
    }

    // [*, D], made once: the check runs every step, once per token matrix.
    readonly long[] input;

    public Parameter Gamma { get; }
    public Parameter Beta { get; }

    protected override void CheckInput(Vec x) => Shapes.Require(x.T, input, Culprit, "x");

    // Item 60 still rests on BN's pieces: the kernel computes the composition's closed form (kernel-vs-math binds the
    // two), so the derivation tree names the items that closed form is derived from, as the composition's tree does.
    public override ItemTree Describe() =>
        new(Item, Label,
        [
            .. base.Describe().Children,
            new(ItemId.elemwiseProduct_has_vjp, "normalize: centred x ⊙ broadcast 1/σ (the kernel's closed form)",
            [
                new(ItemId.pdiv_bnCentered, "centring, each vector as a BN channel", []),
                new(ItemId.pdiv_bnIstdBroadcast, "1/σ broadcast, each vector as a BN channel", []),
            ]),
            new(ItemId.bnAffine_has_vjp, "affine γ·x̂ + β, each feature as a BN channel", []),
        ]);

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) => Run(x, inputCotangent: true);

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x, bool inputCotangent)
    {
        // Only x (the caller's), the mean [N, 1] and 1/σ [N, 1] stay for the pullback: no x-sized cache of our own.
        var (y, mean, invStd) = NativeKernels.LayerNorm(x.T, Gamma.Value, Beta.Value, LayerNorm.Epsilon);
        return (new Vec(y), dy =>
        {
            var (dx, dGamma, dBeta) = NativeKernels.LayerNormBackward(dy.T.contiguous(), x.T, mean, invStd, Gamma.Value, Beta.Value);
            Gamma.Accumulate(dGamma, Culprit);
            Beta.Accumulate(dBeta, Culprit);
            return inputCotangent ? new Vec(dx) : default!;
        });
    }
}
