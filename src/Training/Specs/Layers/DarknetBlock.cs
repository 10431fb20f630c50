using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static DarknetBlock DarknetBlock(long channels, long nBlocks) => new(channels, nBlocks);
}

/// <summary>YOLOv3 residual stack: 1×1 to c/2 + BN, 3×3 back to c + BN, add.</summary>
public sealed record DarknetBlock(long Channels, long NBlocks) : BestiaryLayer(ItemId.darknetBlock)
{
    public override long NParams() => NBlocks * (5 * Channels * Channels + 3 * Channels);
    public override long In() => Channels;
    public override long Out() => Channels;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"dark({Channels},×{NBlocks})";
}
