using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static NerfMlp NerfMlp(long encodedPosDim, long encodedDirDim, long hiddenDim) => new(encodedPosDim, encodedDirDim, hiddenDim);
}

/// <summary>The whole NeRF MLP (direction branch 128 wide); out 4 = density and RGB.</summary>
public sealed record NerfMlp(long EncodedPosDim, long EncodedDirDim, long HiddenDim) : BestiaryLayer(ItemId.nerfMLP)
{
    public override long NParams() =>
        8 * HiddenDim * HiddenDim + 2 * EncodedPosDim * HiddenDim + 138 * HiddenDim + 128 * EncodedDirDim + 516;

    public override long In() => EncodedPosDim;
    public override long Out() => 4;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"nerf(p{EncodedPosDim},d{EncodedDirDim},h{HiddenDim})";
}
