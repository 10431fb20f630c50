using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static MobileVitBlock MobileVitBlock(long ic, long dim, long heads, long mlpDim, long nTxBlocks) =>
        new(ic, dim, heads, mlpDim, nTxBlocks);
}

/// <summary>
/// MobileViT block: local 3×3, 1×1 in-projection, an inner transformer, 1×1 out-projection, 3×3 fusion (the second FFN
/// bias counted as mlp, as the original does).
/// </summary>
public sealed record MobileVitBlock(long Ic, long Dim, long Heads, long MlpDim, long NTxBlocks) : BestiaryLayer(ItemId.mobileVitBlock)
{
    public override long NParams() =>
        (9 * Ic * Ic + 2 * Ic) + (Ic * Dim + 2 * Dim)
        + NTxBlocks * (4 * (Dim * Dim + Dim) + 2 * (Dim * MlpDim + MlpDim) + 4 * Dim) + 2 * Dim
        + (Dim * Ic + 2 * Ic) + (18 * Ic * Ic + 2 * Ic);

    public override long In() => Ic;
    public override long Out() => Ic;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"mvit({Ic},d{Dim},h{Heads},m{MlpDim},L{NTxBlocks})";
}
