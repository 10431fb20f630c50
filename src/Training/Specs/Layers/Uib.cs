namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static Uib Uib(long ic, long oc, long expand, long stride, long preDWk, long postDWk) =>
        new(ic, oc, expand, stride, preDWk, postDWk);
}

/// <summary>
/// MobileNet V4's universal inverted bottleneck: optional k×k depthwise before (kernel 0 = absent), 1×1 expand, optional
/// depthwise after, 1×1 project, all ReLU; skip when stride 1 and channels equal. With neither depthwise it has no
/// spatial op, so it keeps the size whatever its stride.
/// </summary>
public sealed record Uib(long Ic, long Oc, long Expand, long Stride, long PreDWk, long PostDWk) : TrainableLayer
{
    long Mid => Ic * Expand;

    public override long NParams() =>
        (PreDWk > 0 ? Ic * PreDWk * PreDWk + 2 * Ic : 0) + (Mid * Ic + 2 * Mid)
        + (PostDWk > 0 ? Mid * PostDWk * PostDWk + 2 * Mid : 0) + (Oc * Mid + 2 * Oc);

    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"uib({Ic}→{Oc},e{Expand},s{Stride},pre{PreDWk},post{PostDWk})";

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        if (PreDWk > 0) t.DepthwiseBn("preDW.", Ic, PreDWk);
        t.ConvBn("expand.", Mid, Ic, 1);
        if (PostDWk > 0) t.DepthwiseBn("postDW.", Mid, PostDWk);
        return t.ConvBn("project.", Oc, Mid, 1).Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, PreDWk == 0 && PostDWk == 0 ? 1 : Stride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => Stride < 1 || Expand < 1 ? "stride and expand must be at least 1" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
