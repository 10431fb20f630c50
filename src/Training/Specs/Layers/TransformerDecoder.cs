using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static TransformerDecoder TransformerDecoder(long dim, long heads, long mlpDim, long nBlocks, long nQueries) =>
        new(dim, heads, mlpDim, nBlocks, nQueries);
}

/// <summary>DETR-style decoder: self- and cross-attention, FFN, three LayerNorms per block, and the learned query table.</summary>
public sealed record TransformerDecoder(long Dim, long Heads, long MlpDim, long NBlocks, long NQueries)
    : BestiaryLayer(ItemId.transformerDecoder)
{
    public override long NParams() => NBlocks * (8 * Dim * Dim + 2 * Dim * MlpDim + 15 * Dim + MlpDim) + NQueries * Dim;
    public override long In() => Dim;
    public override long Out() => Dim;
    public override ChannelChaining Chaining => ChannelChaining.Tokens;
    public override string Compact() => $"txdec(d{Dim},h{Heads},m{MlpDim},×{NBlocks},q{NQueries})";
}
