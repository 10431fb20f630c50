using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static UnetDown UnetDown(long ic, long oc) => new(ic, oc);
}

/// <summary>UNet encoder stage: two 3×3 convs with BN, then a 2×2 max pool (free).</summary>
public sealed record UnetDown(long Ic, long Oc) : BestiaryLayer(ItemId.unetDown)
{
    public override long NParams() => (9 * Ic * Oc + 2 * Oc) + (9 * Oc * Oc + 2 * Oc);
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"udown({Ic}→{Oc})";
}
