using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static Conv2d Conv2d(long ic, long oc, long k, Padding pad, Activation act) => new(ic, oc, k, pad, act);
}

/// <summary>
/// conv2d (Definition 38): k×k convolution with bias at stride 1, then ReLU or nothing (the original emits relu6 as
/// identity). It pads ⌊(k−1)/2⌋ on every side, which is SAME only for odd k, so an even kernel is refused.
/// </summary>
public sealed record Conv2d(long Ic, long Oc, long K, Padding Pad, Activation Act) : TrainableLayer
{
    public override string? LedgerItem => ItemId.conv2d;

    public override long NParams() => Oc * Ic * K * K + Oc;
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"conv({Ic}→{Oc},k{K},{Notation.Pad(Pad)},{Notation.Act(Act)})";

    public override IReadOnlyList<ParamTensor> Tensors() =>
        new TensorList().Kernel("W", [Oc, Ic, K, K], Ic * K * K).Vector("b", Oc, ParamRole.Bias).Tensors;

    public override Shape? Next(Shape x) => x.Kind == ShapeKind.Image && x.A == Ic ? Shape.Image(Oc, x.B, x.C) : null;
    public override string Needs(Shape x) => ImageNeeds(x);

    public override string? ArgumentProblem() =>
        K % 2 == 0
            ? $"even kernel {K}: conv2d pads floor((k−1)/2) at stride 1, so the output would be one pixel smaller than declared; "
              + "use an odd kernel"
        : K < 1 ? "kernel must be at least 1"
        : null;

    public override Shape Opening(long h, long w) => Shape.Image(Ic, h, w);
    public override TrainableLayer OpeningOn(long channels) => this with { Ic = channels };
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => output.B * output.C * Oc * Ic * K * K;
}
