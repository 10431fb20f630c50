using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ShuffleV2Block ShuffleV2Block(long ic, long oc, long nUnits) => new(ic, oc, nUnits);
}

/// <summary>ShuffleNet v2 stage: a downsample unit, then basic units (the original's exact integer expressions).</summary>
public sealed record ShuffleV2Block(long Ic, long Oc, long NUnits) : BestiaryLayer(ItemId.shuffleV2Block)
{
    public override long NParams() => Accounting.Staged(NUnits, 12 * Ic + Ic * Oc + 11 * Oc + Oc * Oc / 4, Oc * Oc / 2 + 19 * Oc / 2);
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"shuf2({Ic}→{Oc},×{NUnits})";
}
