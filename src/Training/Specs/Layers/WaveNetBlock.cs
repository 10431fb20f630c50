using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static WaveNetBlock WaveNetBlock(long residualCh, long skipCh, long nLayers) => new(residualCh, skipCh, nLayers);
}

/// <summary>One dilated-causal WaveNet stack; the skip path counts as its output (out = skipCh).</summary>
public sealed record WaveNetBlock(long ResidualCh, long SkipCh, long NLayers) : BestiaryLayer(ItemId.waveNetBlock)
{
    public override long NParams() => NLayers * (5 * ResidualCh * ResidualCh + 3 * ResidualCh + ResidualCh * SkipCh + SkipCh);
    public override long In() => ResidualCh;
    public override long Out() => SkipCh;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"wave(r{ResidualCh},s{SkipCh},×{NLayers})";
}
