using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static DetrHeads DetrHeads(long dim, long nClasses) => new(dim, nClasses);
}

/// <summary>DETR's per-query heads: class logits with a no-object slot and a 3-layer box MLP.</summary>
public sealed record DetrHeads(long Dim, long NClasses) : BestiaryLayer(ItemId.detrHeads)
{
    public override long NParams() => Dim * (NClasses + 1) + (NClasses + 1) + (Dim * Dim + Dim) + (Dim * Dim + Dim) + (4 * Dim + 4);
    public override long In() => Dim;
    public override long Out() => NClasses + 1;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"detr(d{Dim},cls{NClasses})";
}
