using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ConvNextDownsample ConvNextDownsample(long ic, long oc) => new(ic, oc);
}

/// <summary>ConvNeXt downsample: LayerNorm, then a 2×2 stride-2 conv with bias.</summary>
public sealed record ConvNextDownsample(long Ic, long Oc) : BestiaryLayer(ItemId.convNextDownsample)
{
    public override long NParams() => 2 * Ic + 4 * Ic * Oc + Oc;
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"cnxdown({Ic}→{Oc})";
}
