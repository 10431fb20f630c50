namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static MbConvV3 MbConvV3(long ic, long oc, long expandCh, long k, long stride, bool useSE, bool useHSwish) =>
        new(ic, oc, expandCh, k, stride, useSE, useHSwish);
}

/// <summary>
/// One MobileNet V3 block: 1×1 expand to expandCh (when it differs from ic), k×k depthwise, optional squeeze-excite with
/// a hard-sigmoid gate, 1×1 project; hard-swish or ReLU; skip when stride 1 and channels equal.
/// </summary>
public sealed record MbConvV3(long Ic, long Oc, long ExpandCh, long K, long Stride, bool UseSE, bool UseHSwish) : TrainableLayer
{
    public override long NParams() =>
        (ExpandCh != Ic ? ExpandCh * Ic + 2 * ExpandCh : 0) + (K * K * ExpandCh + 2 * ExpandCh)
        + (UseSE ? Accounting.Se(ExpandCh) : 0) + (Oc * ExpandCh + 2 * Oc);

    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"mb3({Ic}→{Oc},x{ExpandCh},k{K},s{Stride}{(UseSE ? ",SE" : "")},{(UseHSwish ? "HS" : "RE")})";

    public override IReadOnlyList<ParamTensor> Tensors() => new TensorList().Mobile("", Ic, Oc, ExpandCh != Ic, ExpandCh, K, UseSE).Tensors;

    public override Shape? Next(Shape x) => ImageBlock(x, Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() =>
        Stride < 1 || ExpandCh < 1 || K < 1 ? "stride, expandCh and kernel must be at least 1" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
