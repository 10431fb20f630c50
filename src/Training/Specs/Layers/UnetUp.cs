using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static UnetUp UnetUp(long ic, long oc) => new(ic, oc);
}

/// <summary>UNet decoder stage: 2×2 transposed conv with bias, concatenation with the skip, two 3×3 convs with BN.</summary>
public sealed record UnetUp(long Ic, long Oc) : BestiaryLayer(ItemId.unetUp)
{
    public override long NParams() => (4 * Ic * Oc + Oc) + (9 * 2 * Oc * Oc + 2 * Oc) + (9 * Oc * Oc + 2 * Oc);
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"uup({Ic}→{Oc})";
}
