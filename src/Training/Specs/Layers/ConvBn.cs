namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ConvBn ConvBn(long ic, long oc, long k, long stride, Padding pad) => new(ic, oc, k, stride, pad);
}

/// <summary>convBn: k×k convolution without bias at the given stride (SAME), batch norm, ReLU.</summary>
public sealed record ConvBn(long Ic, long Oc, long K, long Stride, Padding Pad) : TrainableLayer
{
    public override long NParams() => Oc * Ic * K * K + 2 * Oc;
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"cbn({Ic}→{Oc},k{K},s{Stride})";

    public override IReadOnlyList<ParamTensor> Tensors() => new TensorList().ConvBn("", Oc, Ic, K).Tensors;

    public override Shape? Next(Shape x) => ImageBlock(x, Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => K < 1 || Stride < 1 ? "kernel and stride must be at least 1" : null;

    public override Shape Opening(long h, long w) => Shape.Image(Ic, h, w);
    public override TrainableLayer OpeningOn(long channels) => this with { Ic = channels };
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => output.B * output.C * Oc * Ic * K * K;
}
