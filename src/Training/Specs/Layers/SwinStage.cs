using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static SwinStage SwinStage(long dim, long heads, long mlpDim, long windowSize, long nBlocks) =>
        new(dim, heads, mlpDim, windowSize, nBlocks);
}

/// <summary>Swin blocks (window and shifted-window attention alternate); the original's validator changes no state for it.</summary>
public sealed record SwinStage(long Dim, long Heads, long MlpDim, long WindowSize, long NBlocks) : BestiaryLayer(ItemId.swinStage)
{
    public override long NParams() =>
        NBlocks * (4 * Dim + 4 * (Dim * Dim + Dim) + Accounting.Monus(2 * WindowSize, 1) * Accounting.Monus(2 * WindowSize, 1) * Heads
        + (Dim * MlpDim + MlpDim) + (MlpDim * Dim + Dim));

    public override long In() => Dim;
    public override long Out() => Dim;
    public override ChannelChaining Chaining => ChannelChaining.Skipped;
    public override string Compact() => $"swin(d{Dim},h{Heads},m{MlpDim},w{WindowSize},×{NBlocks})";
}
