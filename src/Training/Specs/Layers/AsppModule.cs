using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static AsppModule AsppModule(long ic, long oc) => new(ic, oc);
}

/// <summary>DeepLab v3+ ASPP: 1×1, three dilated 3×3, image pooling and projection, each conv with bias and BN.</summary>
public sealed record AsppModule(long Ic, long Oc) : BestiaryLayer(ItemId.asppModule)
{
    public override long NParams() => 29 * Ic * Oc + 5 * Oc * Oc + 18 * Oc;
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"aspp({Ic}→{Oc})";
}
