using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// LayerNorm is BatchNorm on another axis (item 60 rests on 50): each vector [D] is normalised over its own entries
/// (biased variance, ε = 1e-5), then y = γ·x̂ + β per feature. Built from BN's pieces, with no backward code of its own:
/// the normalize step is BN centering ⊙ BN inverse-std broadcast (items 45, 46, multiplicative fan-in 12) with each
/// vector laid out as a BN channel; the affine step is <see cref="BnAffine"/> with each feature laid out as a channel.
/// The fan-in of the two normalize paths sums to BN's three-term pullback (s/D)(D·g − Σg − x̂·Σ(x̂·g)).
/// </summary>
/// <remarks>
/// <see cref="BnNormalize"/> (the fused 3-term kernel) fixes its channel count at construction and tracks running
/// statistics, so it cannot take one channel per token of a batch whose size varies; hence the composition.
/// </remarks>
public static class LayerNorm
{
    public const double Epsilon = BnNormalize.Epsilon;

    /// <summary>LayerNorm over vectors [N, D] with γ, β [D] (item 60).</summary>
    public static HasVjp<Vec, Vec> Create(Tensor gamma, Tensor beta, string name = "ln")
    {
        var normalize = Layout.RowsAsChannels()
            .Then(Compose.Multiply(new BnCentered(), new BnIstdBroadcast()))
            .Then(Layout.ChannelsAsRows());
        var affine = Layout.FeaturesAsChannels().Then(new BnAffine(gamma, beta, name)).Then(MatrixKit.Flatten());
        return Compose.Named(ItemId.layerNorm_has_vjp, $"{name} {gamma.shape[0]}", normalize.Then(affine));
    }

    /// <summary>γ = 1, β = 0.</summary>
    public static HasVjp<Vec, Vec> Create(long dim, Init init, string name = "ln") => Create(init.Ones(dim), init.Zeros(dim), name);

    /// <summary>LayerNorm of every token of a matrix [B, T, D] (item 72 = row-wise lift 25 of item 60).</summary>
    public static HasVjp<Mat, Mat> PerToken(long dim, Init init, string name = "ln") =>
        PerToken(Create(dim, init, name));

    public static HasVjp<Mat, Mat> PerToken(HasVjp<Vec, Vec> layerNorm) =>
        Compose.Named(ItemId.layerNorm_per_token_has_vjp_mat, $"per-token {layerNorm.Label}", MatrixKit.RowWise(layerNorm));
}
