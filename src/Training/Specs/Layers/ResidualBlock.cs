namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static ResidualBlock ResidualBlock(long ic, long oc, long nBlocks, long firstStride) => new(ic, oc, nBlocks, firstStride);
}

/// <summary>
/// A ResNet stage of nBlocks basic blocks (two 3×3 convBn, the second without ReLU, plus the skip, then ReLU); the first
/// block strides and, unless it keeps both channels and size, projects the skip with a 1×1 convBn.
/// </summary>
public sealed record ResidualBlock(long Ic, long Oc, long NBlocks, long FirstStride) : TrainableLayer
{
    public override long NParams() => Accounting.Staged(NBlocks, Block(first: true), Block(first: false));
    public override long In() => Ic;
    public override long Out() => Oc;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"res({Ic}→{Oc},×{NBlocks},s{FirstStride})";

    bool Projects => !(Ic == Oc && FirstStride == 1);

    long Block(bool first) =>
        first && Projects
            ? (9 * Oc * Ic + 2 * Oc) + (9 * Oc * Oc + 2 * Oc) + (Oc * Ic + 2 * Oc)
            : 2 * (9 * Oc * Oc + 2 * Oc);

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            long c = b == 0 ? Ic : Oc;
            t.ConvBn($"B{b}.conv1.", Oc, c, 3).ConvBn($"B{b}.conv2.", Oc, Oc, 3);
            if (b == 0 && Projects) t.ConvBn($"B{b}.proj.", Oc, Ic, 1);
        }
        return t.Tensors;
    }

    public override Shape? Next(Shape x) => ImageBlock(x, FirstStride);
    public override string Needs(Shape x) => ImageNeeds(x);
    public override string? ArgumentProblem() => FirstStride < 1 ? "stride must be at least 1" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
