using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ShuffleBlock ShuffleBlock(long ic, long oc, long groups, long nUnits) => new(ic, oc, groups, nUnits);
}

/// <summary>ShuffleNet v1 stage: grouped 1×1 + BN, depthwise 3×3 + BN, grouped 1×1 + BN per unit (g = max(1, groups)).</summary>
public sealed record ShuffleBlock(long Ic, long Oc, long Groups, long NUnits) : BestiaryLayer(ItemId.shuffleBlock)
{
    long Unit(long c)
    {
        long g = Math.Max(1, Groups), mid = Math.Max(1, Oc / 4);
        return c * mid / g + 2 * mid + (9 * mid + 2 * mid) + mid * Oc / g + 2 * Oc;
    }

    public override long NParams() => Accounting.Staged(NUnits, Unit(Ic), Unit(Oc));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"shuf({Ic}→{Oc},g{Groups},×{NUnits})";
}
