namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static GlobalAvgPool GlobalAvgPool() => new();
}

/// <summary>Global average pooling: C×H×W → [C].</summary>
public sealed record GlobalAvgPool() : TrainableLayer
{
    public override long NParams() => 0;
    public override long In() => 0;
    public override long Out() => 0;
    public override ChannelChaining Chaining => ChannelChaining.Averages;
    public override string Compact() => "gap";

    public override IReadOnlyList<ParamTensor> Tensors() => [];

    public override Shape? Next(Shape x) => x.Kind == ShapeKind.Image ? Shape.Flat(x.A) : null;
    public override string Needs(Shape x) => "an image C×H×W";
    public override string? ArgumentProblem() => null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => 0;
}
