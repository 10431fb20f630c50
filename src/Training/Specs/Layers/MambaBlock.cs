using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static MambaBlock MambaBlock(long dim, long stateSize, long expand, long nBlocks) => new(dim, stateSize, expand, nBlocks);
}

/// <summary>Selective-SSM (S6) blocks on a sequence × dim; the validator treats it like a transformer.</summary>
public sealed record MambaBlock(long Dim, long StateSize, long Expand, long NBlocks) : BestiaryLayer(ItemId.mambaBlock)
{
    public override long NParams() => NBlocks * (3 * Expand * Dim * Dim + 3 * Expand * Dim * StateSize + 5 * Expand * Dim + Dim);
    public override long In() => Dim;
    public override long Out() => Dim;
    public override ChannelChaining Chaining => ChannelChaining.Tokens;
    public override string Compact() => $"mamba(d{Dim},N{StateSize},e{Expand},×{NBlocks})";
}
