using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static EvoformerBlock EvoformerBlock(long msaChannels, long pairChannels, long nBlocks) =>
        new(msaChannels, pairChannels, nBlocks);
}

/// <summary>AlphaFold-2 Evoformer (approximate count); cm·cm·cz is formed before the division by 32.</summary>
public sealed record EvoformerBlock(long MsaChannels, long PairChannels, long NBlocks) : BestiaryLayer(ItemId.evoformerBlock)
{
    public override long NParams() =>
        NBlocks * (16 * MsaChannels * MsaChannels + MsaChannels * MsaChannels * PairChannels / 32 + 16 * PairChannels * PairChannels);

    public override long In() => MsaChannels;
    public override long Out() => MsaChannels;
    public override ChannelChaining Chaining => ChannelChaining.Tokens;
    public override string Compact() => $"evo(m{MsaChannels},z{PairChannels},×{NBlocks})";
}
