namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static Flatten Flatten() => new();
}

/// <summary>Flatten: C×H×W → [C·H·W] in NCHW order; a flat vector passes unchanged.</summary>
public sealed record Flatten() : TrainableLayer
{
    public override long NParams() => 0;
    public override long In() => 0;
    public override long Out() => 0;
    public override ChannelChaining Chaining => ChannelChaining.Flattens;
    public override string Compact() => "flat";

    public override IReadOnlyList<ParamTensor> Tensors() => [];

    public override Shape? Next(Shape x) => x.Kind == ShapeKind.Tokens ? null : Shape.Flat(x.Elements);
    public override string Needs(Shape x) => "an image C×H×W or a flat vector";
    public override string? ArgumentProblem() => null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => 0;
}
