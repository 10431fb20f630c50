using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// Scaled dot-product attention, A = softmax_rows(Q·Kᵀ/√d), out = A·V, built from the chapter-2 matrix kit.
/// <list type="bullet">
/// <item>Items 65–67: out as a function of one operand with the other two fixed — exactly the ledger's compositions
/// (Q: ·Kᵀ, scale, row softmax, ·V; K: transpose, Q·, scale, row softmax, ·V; V: A·).</item>
/// <item>Item 68: multi-head SDPA on packed projections [B, n, 3·H·dh] (columns Q | K | V): heads split onto the
/// batch axis, per-head SDPA of all three operands at once, heads merged. The three operands are column slices of
/// one input, so their cotangents meet at the algebra's fan-in; each product Q·Kᵀ and A·V is a
/// <see cref="MatmulFanIn"/> whose two partial pullbacks are items 22 (dY·Bᵀ) and 21 (Aᵀ·dY).</item>
/// </list>
/// </summary>
public static class Attention
{
    /// <summary>Q ↦ softmax_rows(Q·Kᵀ/√d)·V with K, V [n, d] fixed (item 65).</summary>
    public static HasVjp<Mat, Mat> WrtQ(Tensor k, Tensor v) =>
        Compose.Named(ItemId.sdpa_back_Q_correct, "sdpa wrt Q",
            MatrixKit.MatmulRightConst(k.t()).Then(Scores(k.shape[1])).Then(MatrixKit.MatmulRightConst(v)));

    /// <summary>K ↦ softmax_rows(Q·Kᵀ/√d)·V with Q, V fixed (item 66).</summary>
    public static HasVjp<Mat, Mat> WrtK(Tensor q, Tensor v) =>
        Compose.Named(ItemId.sdpa_back_K_correct, "sdpa wrt K",
            MatrixKit.Transpose().Then(MatrixKit.MatmulLeftConst(q)).Then(Scores(q.shape[1])).Then(MatrixKit.MatmulRightConst(v)));

    /// <summary>V ↦ softmax_rows(Q·Kᵀ/√d)·V with Q, K fixed (item 67): A is a constant, dV = Aᵀ·G.</summary>
    public static HasVjp<Mat, Mat> WrtV(Tensor q, Tensor k)
    {
        using var noGrad = no_grad();
        var a = matmul(q, k.t()).Div(Math.Sqrt(q.shape[1])).softmax(-1);
        return Compose.Named(ItemId.sdpa_back_V_correct, "sdpa wrt V", MatrixKit.MatmulLeftConst(a));
    }

    /// <summary>
    /// Single-head SDPA of packed [B, n, 3·d] (columns Q | K | V) → [B, n, d], all three operands variable.
    /// </summary>
    public static HasVjp<Mat, Mat> Packed(long d)
    {
        var q = Layout.Columns(0, d);
        var k = Layout.Columns(d, d);
        var v = Layout.Columns(2 * d, d);
        var attention = new MatmulFanIn(q, k.Then(MatrixKit.Transpose())).Then(Scores(d));
        return new MatmulFanIn(attention, v);
    }

    /// <summary>
    /// Multi-head SDPA (item 68): packed [B, n, 3·H·dh] → [B, n, H·dh]; scores scaled by 1/√dh; head h of each of
    /// Q, K, V is columns h·dh … (h+1)·dh − 1 of its block.
    /// </summary>
    public static HasVjp<Mat, Mat> MultiHead(long heads, long headWidth) =>
        Compose.Named(ItemId.mhsa_has_vjp_mat, $"multi-head sdpa H={heads} dh={headWidth}",
            Layout.SplitHeads(heads).Then(Packed(headWidth)).Then(Layout.MergeHeads(heads)));

    /// <summary>
    /// The MHSA layer of a transformer block: Q, K, V projections (dim→dim with bias, per token), multi-head SDPA
    /// with head width dim/heads, output projection. Bound to item 69 (the layer's smoothness axiom, the sibling
    /// of 68); its backward is the composition, no code of its own.
    /// </summary>
    public static HasVjp<Mat, Mat> Layer(long dim, long heads, Init init, string name = "attn")
    {
        if (heads < 1 || dim % heads != 0)
            throw new ArgumentException($"{name}: {heads} heads do not divide dim {dim} (head width floor(dim/heads) would drop features)");
        HasVjp<Mat, Mat> Projection(string p, long slot) =>
            TransformerBlocks.DensePerToken(dim, dim, init, $"{name}.{p}").Then(Layout.Slot(slot, 3));
        var packed = Compose.Add(Compose.Add(Projection("q", 0), Projection("k", 1)), Projection("v", 2));
        var body = packed.Then(MultiHead(heads, dim / heads)).Then(TransformerBlocks.DensePerToken(dim, dim, init, $"{name}.o"));
        return Compose.Named(ItemId.mhsa_layer_flat_diff, $"{name} mhsa dim={dim} H={heads}", body);
    }

    /// <summary>S ↦ softmax_rows(S/√d): the scale (item 23) and row softmax (item 64) shared by every form.</summary>
    static HasVjp<Mat, Mat> Scores(long d) =>
        MatrixKit.ScalarScale<Mat>(1 / Math.Sqrt(d)).Then(Softmax.Rows());
}

/// <summary>
/// x ↦ f(x)·g(x), a batched matrix product of two paths from one input: the product rule,
/// dx = f*(dY·g(x)ᵀ) + g*(f(x)ᵀ·dY). The two terms are the fixed-factor pullbacks of items 22 and 21 taken at the
/// other factor's value; the sum is the matrix fan-in (item 15).
/// </summary>
/// <remarks>
/// The algebra's <see cref="MatrixKit.MatmulRightConst"/>/<see cref="MatrixKit.MatmulLeftConst"/> take an unbatched
/// factor [n, p] (they call <c>t()</c>), while here both factors differ per batch element; so the two fixed-factor
/// formulas are restated batched (transpose(1, 2)).
/// </remarks>
public sealed class MatmulFanIn(HasVjp<Mat, Mat> f, HasVjp<Mat, Mat> g) : HasVjp<Mat, Mat>(ItemId.biPathMat_has_vjp, "matmul fan-in")
{
    public override IReadOnlyList<IVjpNode> Children => [f, g];

    // The pullback reads the two factors, not their product.
    public override bool FreshOutput => true;

    public override ItemTree Describe() =>
        new(Item, Label,
        [
            f.Describe(), g.Describe(),
            new(ItemId.matmul_right_const_has_vjp, "left factor: dY·Bᵀ", []),
            new(ItemId.matmul_left_const_has_vjp, "right factor: Aᵀ·dY", []),
        ]);

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x)
    {
        var (a, pullbackF) = f.Forward(x);
        var (b, pullbackG) = g.Forward(x);
        if (a.T.shape[0] != b.T.shape[0] || a.T.shape[2] != b.T.shape[1])
            throw new ShapeMismatchException(
                $"{Culprit}: {f.Culprit} gives {Shapes.Format(a.T)}, which cannot multiply {g.Culprit}'s {Shapes.Format(b.T)}");
        return (new Mat(matmul(a.T, b.T)), dy =>
            new Mat(pullbackF(new Mat(matmul(dy.T, b.T.transpose(1, 2)))).T.Add(pullbackG(new Mat(matmul(a.T.transpose(1, 2), dy.T))).T)));
    }
}
