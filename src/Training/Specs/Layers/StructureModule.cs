using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static StructureModule StructureModule(long singleChannels, long pairChannels, long nBlocks) =>
        new(singleChannels, pairChannels, nBlocks);
}

/// <summary>AlphaFold-2 structure module: weights shared across rounds, so the count ignores nBlocks.</summary>
public sealed record StructureModule(long SingleChannels, long PairChannels, long NBlocks) : BestiaryLayer(ItemId.structureModule)
{
    public override long NParams() => 6 * SingleChannels * SingleChannels + SingleChannels * PairChannels / 4;
    public override long In() => SingleChannels;
    public override long Out() => SingleChannels;
    public override ChannelChaining Chaining => ChannelChaining.Tokens;
    public override string Compact() => $"struct(s{SingleChannels},z{PairChannels},×{NBlocks})";
}
