namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static InvertedResidual InvertedResidual(long ic, long oc, long expand, long stride, long nBlocks) =>
        new(ic, oc, expand, stride, nBlocks);
}

/// <summary>
/// A MobileNet V2 stage of nBlocks inverted residuals (1×1 expand when expand ≠ 1, 3×3 depthwise, 1×1 project, ReLU6;
/// skip when stride 1 and channels equal); only the first block strides.
/// </summary>
public sealed record InvertedResidual(long Ic, long Oc, long Expand, long Stride, long NBlocks) : TrainableLayer
{
    public override long NParams() => Accounting.Staged(NBlocks, Block(Ic), Block(Oc));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"ir({Ic}→{Oc},e{Expand},s{Stride},×{NBlocks})";

    long Block(long c)
    {
        long mid = c * Expand;
        return (Expand != 1 ? mid * c + 2 * mid : 0) + (9 * mid + 2 * mid) + (Oc * mid + 2 * Oc);
    }

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            long c = b == 0 ? Ic : Oc;
            t.Mobile($"B{b}.", c, Oc, Expand != 1, c * Expand, 3, useSE: false);
        }
        return t.Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => Stride < 1 || Expand < 1 ? "stride and expand must be at least 1" : null;

    public override Shape Opening(long h, long w) => Shape.Image(Ic, h, w);
    public override TrainableLayer OpeningOn(long channels) => this with { Ic = channels };
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
