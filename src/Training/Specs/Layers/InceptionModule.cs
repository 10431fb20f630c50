using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static InceptionModule InceptionModule(long ic, long b1, long b2Reduce, long b2, long b3Reduce, long b3, long b4) =>
        new(ic, b1, b2Reduce, b2, b3Reduce, b3, b4);
}

/// <summary>GoogLeNet's inception module (BN included): four branches concatenated.</summary>
public sealed record InceptionModule(long Ic, long B1, long B2Reduce, long B2, long B3Reduce, long B3, long B4)
    : BestiaryLayer(ItemId.inceptionModule)
{
    public override long NParams() =>
        (Ic * B1 + 2 * B1) + (Ic * B2Reduce + 2 * B2Reduce) + (9 * B2Reduce * B2 + 2 * B2)
        + (Ic * B3Reduce + 2 * B3Reduce) + (25 * B3Reduce * B3 + 2 * B3) + (Ic * B4 + 2 * B4);

    public override long In() => Ic;
    public override long Out() => B1 + B2 + B3 + B4;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"inc({Ic}:{B1},{B2Reduce}/{B2},{B3Reduce}/{B3},{B4})";
}
