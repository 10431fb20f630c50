namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static FireModule FireModule(long ic, long squeeze, long expand1x1, long expand3x3) => new(ic, squeeze, expand1x1, expand3x3);
}

/// <summary>SqueezeNet's fire module: 1×1 squeeze, then 1×1 and 3×3 expands concatenated (each with BN). Accounting only.</summary>
public sealed record FireModule(long Ic, long Squeeze, long Expand1x1, long Expand3x3) : Layer
{
    public override long NParams() =>
        (Squeeze * Ic + 2 * Squeeze) + (Expand1x1 * Squeeze + 2 * Expand1x1) + (9 * Expand3x3 * Squeeze + 2 * Expand3x3);

    public override long In() => Ic;
    public override long Out() => Expand1x1 + Expand3x3;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"fire({Ic},sq{Squeeze},e{Expand1x1}+{Expand3x3})";
}
