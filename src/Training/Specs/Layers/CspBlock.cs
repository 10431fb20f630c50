using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static CspBlock CspBlock(long ic, long oc, long nBlocks) => new(ic, oc, nBlocks);
}

/// <summary>CSP block: two 1×1 split convs to half = max(1, ic/2), darknet-style blocks at that width, a 1×1 output conv.</summary>
public sealed record CspBlock(long Ic, long Oc, long NBlocks) : BestiaryLayer(ItemId.cspBlock)
{
    long Half => Math.Max(1, Ic / 2);

    public override long NParams() => 2 * (Ic * Half + 2 * Half) + NBlocks * (5 * Half * Half + 3 * Half) + Ic * Oc + 2 * Oc;
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"csp({Ic}→{Oc},×{NBlocks})";
}
