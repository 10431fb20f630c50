using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ConvNextStage ConvNextStage(long channels, long nBlocks) => new(channels, nBlocks);
}

/// <summary>ConvNeXt blocks without downsampling: 7×7 depthwise, LayerNorm, two 1×1 convs, layer scale.</summary>
public sealed record ConvNextStage(long Channels, long NBlocks) : BestiaryLayer(ItemId.convNextStage)
{
    public override long NParams() => NBlocks * (8 * Channels * Channels + 58 * Channels);
    public override long In() => Channels;
    public override long Out() => Channels;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"cnx({Channels},×{NBlocks})";
}
