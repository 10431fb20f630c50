using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static MaxPool MaxPool(long size, long stride) => new(size, stride);
}

/// <summary>Max pooling; the book's Definition 42 is the 2×2/2 case, the general window follows the SAME rule.</summary>
public sealed record MaxPool(long Size, long Stride) : TrainableLayer
{
    public override string? LedgerItem => ItemId.maxPool2;

    public override long NParams() => 0;
    public override long In() => 0;
    public override long Out() => 0;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"mp({Size}/{Stride})";

    public override IReadOnlyList<ParamTensor> Tensors() => [];

    public override Shape? Next(Shape x) =>
        x.Kind == ShapeKind.Image ? Shape.Image(x.A, ShapeInference.Same(x.B, Stride), ShapeInference.Same(x.C, Stride)) : null;

    public override string Needs(Shape x) => "an image C×H×W";
    public override string? ArgumentProblem() => Size < 1 || Stride < 1 ? "size and stride must be at least 1" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => 0;
}
