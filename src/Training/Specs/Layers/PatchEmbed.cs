namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static PatchEmbed PatchEmbed(long ic, long dim, long patchSize, long nPatches) => new(ic, dim, patchSize, nPatches);
}

/// <summary>
/// ViT patch embedding: a p×p convolution with bias at stride p, the patches read as tokens, a CLS token prepended and
/// a positional table added: ic×H×W → (nPatches + 1) tokens × dim. Stricter than the original: nPatches must equal the
/// patch grid and p must divide the image (a stride-p conv would silently drop the remainder pixels).
/// </summary>
public sealed record PatchEmbed(long Ic, long Dim, long PatchSize, long NPatches) : TrainableLayer
{
    public override long NParams() => Dim * Ic * PatchSize * PatchSize + Dim + Dim + (NPatches + 1) * Dim;
    public override long In() => Ic;
    public override long Out() => Dim;
    public override ChannelChaining Chaining => ChannelChaining.Carries;
    public override string Compact() => $"pe({Ic}→{Dim},p{PatchSize},n{NPatches})";

    public override IReadOnlyList<ParamTensor> Tensors() =>
        new TensorList().Kernel("W", [Dim, Ic, PatchSize, PatchSize], Ic * PatchSize * PatchSize).Vector("b", Dim, ParamRole.Bias)
            .Vector("cls", Dim, ParamRole.ClsToken)
            .Add(new ParamTensor("pos", [NPatches + 1, Dim], ParamRole.Positions, NPatches + 1)).Tensors;

    bool Divides(Shape x) => x.B % PatchSize == 0 && x.C % PatchSize == 0;

    public override Shape? Next(Shape x) =>
        x.Kind == ShapeKind.Image && x.A == Ic && Divides(x) && x.B / PatchSize * (x.C / PatchSize) == NPatches
            ? Shape.Tokens(NPatches + 1, Dim)
            : null;

    public override string Needs(Shape x) => ImageNeeds(x);

    public override string Mismatch(Shape x, string from) =>
        x.Kind != ShapeKind.Image || x.A != Ic ? base.Mismatch(x, from)
        : !Divides(x)
            ? $"patch size {PatchSize} does not divide the {x} input from {from}, so the patch grid would drop pixels: "
              + $"{x.B} = {x.B / PatchSize}·{PatchSize} + {x.B % PatchSize}, {x.C} = {x.C / PatchSize}·{PatchSize} + {x.C % PatchSize}"
            : $"nPatches {NPatches} must equal the patch grid of the {x} input from {from}: "
              + $"floor({x.B}/{PatchSize})·floor({x.C}/{PatchSize}) = {x.B / PatchSize * (x.C / PatchSize)}";

    public override string? ArgumentProblem() => PatchSize < 1 ? "patch size must be at least 1" : null;

    public override Shape Opening(long h, long w) => Shape.Image(Ic, h, w);
    public override TrainableLayer OpeningOn(long channels) => this with { Ic = channels };

    public override TrainableLayer? FitTo(Shape x) =>
        x.Kind == ShapeKind.Image && PatchSize > 0 && x.B / PatchSize * (x.C / PatchSize) is > 0 and var n && n != NPatches
            ? this with { NPatches = n }
            : null;

    public override double MultiplyAdds(Shape output) => double.NaN;
}
