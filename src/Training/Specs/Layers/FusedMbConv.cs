namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static FusedMbConv FusedMbConv(long ic, long oc, long expand, long k, long stride, long nBlocks, bool useSE) =>
        new(ic, oc, expand, k, stride, nBlocks, useSE);
}

/// <summary>
/// An EfficientNet V2 stage of nBlocks fused MBConv blocks (k×k convBn to the expanded width, optional squeeze-excite,
/// 1×1 project when expand ≠ 1; skip when stride 1 and channels equal); only the first block strides.
/// </summary>
public sealed record FusedMbConv(long Ic, long Oc, long Expand, long K, long Stride, long NBlocks, bool UseSE) : TrainableLayer
{
    public override long NParams() => Accounting.Staged(NBlocks, Block(Ic), Block(Oc));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"fmb({Ic}→{Oc},e{Expand},k{K},s{Stride},×{NBlocks}{(UseSE ? ",SE" : "")})";

    /// <summary>The fused conv's output width for a block taking <paramref name="c"/> channels: oc when expand is 1.</summary>
    long Mid(long c) => Expand == 1 ? Oc : c * Expand;

    long Block(long c) =>
        (Mid(c) * c * K * K + 2 * Mid(c)) + (UseSE ? Accounting.Se(Mid(c)) : 0) + (Expand != 1 ? Oc * Mid(c) + 2 * Oc : 0);

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            long c = b == 0 ? Ic : Oc;
            t.ConvBn($"B{b}.fused.", Mid(c), c, K);
            if (UseSE) t.SqueezeExcite($"B{b}.", Mid(c));
            if (Expand != 1) t.ConvBn($"B{b}.project.", Oc, Mid(c), 1);
        }
        return t.Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => Stride < 1 || Expand < 1 || K < 1 ? "stride, expand and kernel must be at least 1" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
