namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static MbConv MbConv(long ic, long oc, long expand, long k, long stride, long nBlocks, bool useSE) =>
        new(ic, oc, expand, k, stride, nBlocks, useSE);
}

/// <summary>
/// An EfficientNet stage of nBlocks MBConv blocks (1×1 expand when expand ≠ 1, k×k depthwise, optional squeeze-excite,
/// 1×1 project, swish; skip when stride 1 and channels equal); only the first block strides.
/// </summary>
public sealed record MbConv(long Ic, long Oc, long Expand, long K, long Stride, long NBlocks, bool UseSE) : TrainableLayer
{
    public override long NParams() => Accounting.Staged(NBlocks, Block(Ic), Block(Oc));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"mb({Ic}→{Oc},e{Expand},k{K},s{Stride},×{NBlocks}{(UseSE ? ",SE" : "")})";

    long Block(long c)
    {
        long mid = c * Expand;
        return (Expand != 1 ? mid * c + 2 * mid : 0) + (K * K * mid + 2 * mid) + (UseSE ? Accounting.Se(mid) : 0) + (Oc * mid + 2 * Oc);
    }

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            long c = b == 0 ? Ic : Oc;
            t.Mobile($"B{b}.", c, Oc, Expand != 1, c * Expand, K, UseSE);
        }
        return t.Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => Stride < 1 || Expand < 1 || K < 1 ? "stride, expand and kernel must be at least 1" : null;

    public override Shape Opening(long h, long w) => Shape.Image(Ic, h, w);
    public override TrainableLayer OpeningOn(long channels) => this with { Ic = channels };
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
