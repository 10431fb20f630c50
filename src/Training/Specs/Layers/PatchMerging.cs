using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static PatchMerging PatchMerging(long inDim, long outDim) => new(inDim, outDim);
}

/// <summary>Swin's 2×2 downsample: LayerNorm on the 4·inDim concatenation, then a linear map with bias.</summary>
public sealed record PatchMerging(long InDim, long OutDim) : BestiaryLayer(ItemId.patchMerging)
{
    public override long NParams() => 2 * (4 * InDim) + 4 * InDim * OutDim + OutDim;
    public override long In() => InDim;
    public override long Out() => OutDim;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"pmerge({InDim}→{OutDim})";
}
