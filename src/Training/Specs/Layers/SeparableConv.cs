namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static SeparableConv SeparableConv(long ic, long oc, long stride) => new(ic, oc, stride);
}

/// <summary>Xception's separable conv: 3×3 depthwise + BN, 1×1 pointwise + BN. Accounting only (no forward in the original).</summary>
public sealed record SeparableConv(long Ic, long Oc, long Stride) : Layer
{
    public override long NParams() => (9 * Ic + 2 * Ic) + (Oc * Ic + 2 * Oc);
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"sep({Ic}→{Oc},s{Stride})";
}
