namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static AvgPool2 AvgPool2() => new();
}

/// <summary>
/// Average pooling over 2×2 windows at stride 2: C×H×W → C×(H/2)×(W/2). Not one of the book's constructors: this
/// project's worked example of adding a layer (docs/adding-a-layer.md). No padding, so H and W must be even (an odd size
/// has no SAME convention for averages that both the hand rules and libtorch share).
/// </summary>
public sealed record AvgPool2() : TrainableLayer
{
    public override long NParams() => 0;
    public override long In() => 0;
    public override long Out() => 0;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => "ap(2/2)";

    public override IReadOnlyList<ParamTensor> Tensors() => [];

    public override Shape? Next(Shape x) =>
        x.Kind == ShapeKind.Image && x.B % 2 == 0 && x.C % 2 == 0 ? Shape.Image(x.A, x.B / 2, x.C / 2) : null;

    public override string Needs(Shape x) => "an image C×H×W with even H and W";
    public override string? ArgumentProblem() => null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => 0;
}
