using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static PositionalEncoding PositionalEncoding(long inputDim, long numFrequencies) => new(inputDim, numFrequencies);
}

/// <summary>NeRF's fixed sinusoidal features: no parameters, d → d·2·L.</summary>
public sealed record PositionalEncoding(long InputDim, long NumFrequencies) : BestiaryLayer(ItemId.positionalEncoding)
{
    public override long NParams() => 0;
    public override long In() => InputDim;
    public override long Out() => InputDim * 2 * NumFrequencies;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"posenc({InputDim},L{NumFrequencies})";
}
