namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static BottleneckBlock BottleneckBlock(long ic, long oc, long nBlocks, long firstStride) => new(ic, oc, nBlocks, firstStride);
}

/// <summary>
/// A ResNet-50 stage of nBlocks bottlenecks (1×1 reduce to oc/4, 3×3, 1×1 expand to oc, plus the skip); the first block
/// strides and, unless it keeps both channels and size, projects the skip with a 1×1 convBn.
/// </summary>
public sealed record BottleneckBlock(long Ic, long Oc, long NBlocks, long FirstStride) : TrainableLayer
{
    public override long NParams() => Accounting.Staged(NBlocks, Block(first: true), Block(first: false));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"bot({Ic}→{Oc},×{NBlocks},s{FirstStride})";

    bool Projects => !(Ic == Oc && FirstStride == 1);
    long Mid => Oc / 4;

    long Block(bool first) =>
        first && Projects
            ? (Mid * Ic + 2 * Mid) + (9 * Mid * Mid + 2 * Mid) + (Oc * Mid + 2 * Oc) + (Oc * Ic + 2 * Oc)
            : (Mid * Oc + 2 * Mid) + (9 * Mid * Mid + 2 * Mid) + (Oc * Mid + 2 * Oc);

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            long c = b == 0 ? Ic : Oc;
            t.ConvBn($"B{b}.reduce.", Mid, c, 1).ConvBn($"B{b}.conv3x3.", Mid, Mid, 3).ConvBn($"B{b}.expand.", Oc, Mid, 1);
            if (b == 0 && Projects) t.ConvBn($"B{b}.proj.", Oc, Ic, 1);
        }
        return t.Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, FirstStride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() =>
        FirstStride < 1 || Oc < 4 ? "stride must be at least 1 and oc at least 4 (mid = oc/4)" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
