namespace LeanMlirVerify.Training.Specs;

public abstract partial record Layer
{
    public static TransformerEncoder TransformerEncoder(long dim, long heads, long mlpDim, long nBlocks) =>
        new(dim, heads, mlpDim, nBlocks);
}

/// <summary>
/// A pre-LN ViT encoder of nBlocks blocks (multi-head self-attention and a GELU MLP, each with a residual), the final
/// LayerNorm, then the CLS token: tokens × dim → [dim].
/// </summary>
public sealed record TransformerEncoder(long Dim, long Heads, long MlpDim, long NBlocks) : TrainableLayer
{
    public override long NParams() => NBlocks * (4 * Dim * Dim + 2 * Dim * MlpDim + 9 * Dim + MlpDim) + 2 * Dim;
    public override long In() => Dim;
    public override long Out() => Dim;
    public override ChannelChaining Chaining => ChannelChaining.Tokens;
    public override string Compact() => $"tx(d{Dim},h{Heads},m{MlpDim},×{NBlocks})";

    public override IReadOnlyList<ParamTensor> Tensors()
    {
        var t = new TensorList();
        for (long b = 0; b < NBlocks; b++)
        {
            t.LayerNorm($"B{b}.ln1.", Dim);
            foreach (var projection in new[] { "q", "k", "v", "o" }) t.Dense($"B{b}.{projection}.", Dim, Dim);
            t.LayerNorm($"B{b}.ln2.", Dim).Dense($"B{b}.fc1.", Dim, MlpDim).Dense($"B{b}.fc2.", MlpDim, Dim);
        }
        return t.LayerNorm("ln.", Dim).Tensors;
    }

    public override Shape? Next(Shape x) => x.Kind == ShapeKind.Tokens && x.B == Dim ? Shape.Flat(Dim) : null;
    public override string Needs(Shape x) => $"tokens × {Dim} (a patchEmbed before it)";
    public override string? ArgumentProblem() => Heads < 1 || Dim % Heads != 0 ? $"dim {Dim} must split evenly over {Heads} heads" : null;

    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;
}
