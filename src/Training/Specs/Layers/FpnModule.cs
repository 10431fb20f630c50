using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static FpnModule FpnModule(long c2, long c3, long c4, long c5, long target) => new(c2, c3, c4, c5, target);
}

/// <summary>Feature Pyramid Network: four 1×1 laterals and four 3×3 smoothing convs, with bias; in = the deepest stage.</summary>
public sealed record FpnModule(long C2, long C3, long C4, long C5, long Target) : BestiaryLayer(ItemId.fpnModule)
{
    public override long NParams() => (C2 + C3 + C4 + C5) * Target + 4 * Target + 4 * (9 * Target * Target + Target);
    public override long In() => C5;
    public override long Out() => Target;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"fpn({C2}/{C3}/{C4}/{C5}→{Target})";
}
