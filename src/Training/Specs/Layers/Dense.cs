namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static Dense Dense(long fanIn, long fanOut, Activation act) => new(fanIn, fanOut, act);
}

/// <summary>
/// dense: y = x·W + b with W stored [fanIn, fanOut], then ReLU or nothing (relu6 is emitted as identity). Its fanIn must
/// equal the incoming width, stricter than the original, which accepts any width after a flatten.
/// </summary>
public sealed record Dense(long FanIn, long FanOut, Activation Act) : TrainableLayer
{
    public override long NParams() => FanIn * FanOut + FanOut;
    public override long In() => FanIn;
    public override long Out() => FanOut;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"fc({FanIn}→{FanOut},{Notation.Act(Act)})";

    public override IReadOnlyList<ParamTensor> Tensors() => new TensorList().Dense("", FanIn, FanOut).Tensors;

    public override Shape? Next(Shape x) => x.Kind == ShapeKind.Flat && x.A == FanIn ? Shape.Flat(FanOut) : null;

    public override string Needs(Shape x) =>
        $"[{FanIn}]" + (x.Kind == ShapeKind.Flat ? "" : " (a flat input: add flatten or globalAvgPool before it)");

    public override string? ArgumentProblem() => null;

    public override Shape Opening(long h, long w) => Shape.Flat(FanIn);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => x.Kind == ShapeKind.Flat && FanIn != x.A ? this with { FanIn = x.A } : null;
    public override double MultiplyAdds(Shape output) => FanIn * FanOut;
}
