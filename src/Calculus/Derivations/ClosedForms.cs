using LeanMlirVerify.Calculus.Reference;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

/// <summary>
/// The backward formulas as the book states them, written over symbolic scalars: each takes the forward's inputs and
/// the cotangent dy and returns dx. Compositions below are built only from these, so checking a composite against
/// them checks the book's way of composing.
/// </summary>
public static class ClosedForms
{
    static IEnumerable<int> Range(int n) => Enumerable.Range(0, n);

    /// <summary>Dense input VJP (Thm 33): dx_i = Σ_j W[i,j]·dy_j.</summary>
    public static SymTensor DenseInput(SymTensor w, SymTensor dy) =>
        SymTensor.Build([w.Shape[0]], i => Add(Range(w.Shape[1]).Select(j => w[i[0], j] * dy[j])));

    /// <summary>Dense weight VJP (Thm 34): dW = x ⊗ dy.</summary>
    public static SymTensor DenseWeight(SymTensor x, SymTensor dy) => SymTensor.Build([x.Length, dy.Length], ij => x[ij[0]] * dy[ij[1]]);

    /// <summary>Softmax VJP (Thm 63): dz_i = p_i·(dy_i − ⟨p, dy⟩).</summary>
    public static SymTensor SoftmaxInput(SymTensor z, SymTensor dy)
    {
        var p = Softmax(z);
        var dot = Add(Range(p.Length).Select(j => p[j] * dy[j]));
        return SymTensor.Build(z.Shape, i => p[i[0]] * (dy[i[0]] - dot));
    }

    /// <summary>BN normalize VJP (Thm 48): dx_i = (s/n)·(n·g_i − Σ_j g_j − x̂_i·Σ_j x̂_j g_j).</summary>
    public static SymTensor BnNormalizeInput(SymTensor x, SymTensor g, Rational eps)
    {
        int n = x.Length;
        var s = InverseStd(x, eps);
        var xhat = BnNormalize(x, eps);
        var sumG = Add(g.Data);
        var sumXg = Add(Range(n).Select(j => xhat[j] * g[j]));
        return SymTensor.Build(x.Shape, i => s / n * (Num(n) * g[i[0]] - sumG - xhat[i[0]] * sumXg));
    }

    /// <summary>LayerNorm VJP (Thm 60): the BN normalize VJP applied to g = γ ⊙ dy.</summary>
    public static SymTensor LayerNormInput(SymTensor x, SymTensor gamma, SymTensor dy, Rational eps) =>
        BnNormalizeInput(x, SymTensor.Build(x.Shape, i => gamma[i[0]] * dy[i[0]]), eps);

    /// <summary>Φ(x) = ½(1 + erf(x/√2)).</summary>
    public static Expr Phi(Expr x) => Num(Rational.Half) * (One + Erf(x * Pow(2, -Rational.Half)));

    /// <summary>φ(x) = exp(−x²/2)/√(2π).</summary>
    public static Expr Density(Expr x) => Exp(-Pow(x, 2) / 2) * Pow(Num(2) * Pi, -Rational.Half);

    /// <summary>GELU derivative (Def 58): Φ(x) + x·φ(x).</summary>
    public static Expr GeluDerivative(Expr x) => Phi(x) + x * Density(x);

    /// <summary>GELU VJP (Thm 61): dx = dy ⊙ (Φ(x) + x·φ(x)).</summary>
    public static SymTensor GeluInput(SymTensor x, SymTensor dy) => new(x.Shape, [.. x.Data.Zip(dy.Data, (a, g) => g * GeluDerivative(a))]);

    /// <summary>
    /// The tanh form's derivative (binding gelu_tanh_has_vjp), as the runtime's rule writes it:
    /// ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³)).
    /// </summary>
    public static Expr GeluTanhDerivative(Expr x)
    {
        var t = Tanh(GeluTanhScale * (x + Num(GeluCubic) * Pow(x, 3)));
        return Num(Rational.Half) * (One + t)
            + Num(Rational.Half) * x * (One - Pow(t, 2)) * GeluTanhScale * (One + Num(3 * GeluCubic) * Pow(x, 2));
    }

    /// <summary>GELU VJP of either form: dx = dy ⊙ gelu'(x).</summary>
    public static SymTensor GeluInput(SymTensor x, SymTensor dy, GeluForm form) => form == GeluForm.Erf ? GeluInput(x, dy)
        : new(x.Shape, [.. x.Data.Zip(dy.Data, (a, g) => g * GeluTanhDerivative(a))]);

    /// <summary>Row-wise lift (Thm 25): apply a vector VJP to each row.</summary>
    public static SymTensor Rowwise(SymTensor x, SymTensor dy, Func<SymTensor, SymTensor, SymTensor> vjp) =>
        SymTensor.StackRows([.. Range(x.Shape[0]).Select(r => vjp(x.Row(r), dy.Row(r)))]);

    /// <summary>Matmul VJP with the right factor fixed (Thm 22): dX = dY·Bᵀ.</summary>
    public static SymTensor MatMulLeftInput(SymTensor b, SymTensor dy) => MatMul(dy, Transpose(b));

    /// <summary>Matmul VJP with the left factor fixed (Thm 21): dX = Aᵀ·dY.</summary>
    public static SymTensor MatMulRightInput(SymTensor a, SymTensor dy) => MatMul(Transpose(a), dy);

    /// <summary>SDPA backward (Thms 65–67): dA = G Vᵀ, dS_r = A_r ⊙ (dA_r − ⟨A_r, dA_r⟩), dZ = dS/√d, dQ = dZ K, dK = dZᵀ
    /// Q, dV = Aᵀ G.</summary>
    public static (SymTensor dQ, SymTensor dK, SymTensor dV) Sdpa(SymTensor q, SymTensor k, SymTensor v, SymTensor g)
    {
        var a = Attention(q, k);
        var dA = MatMul(g, Transpose(v));
        var dS = SymTensor.StackRows([.. Range(a.Shape[0]).Select(r =>
        {
            var ar = a.Row(r); var dr = dA.Row(r);
            var dot = Add(Range(ar.Length).Select(j => ar[j] * dr[j]));
            return SymTensor.Build(ar.Shape, j => ar[j[0]] * (dr[j[0]] - dot));
        })]);
        var dZ = dS.Map(e => e * Pow(q.Shape[1], -Rational.Half));
        return (MatMul(dZ, k), MatMul(Transpose(dZ), q), MatMul(Transpose(a), g));
    }

    /// <summary>Multi-head SDPA backward (Axiom 68): the single-head formulas per head, stacked.</summary>
    public static (SymTensor dQ, SymTensor dK, SymTensor dV) Mhsa(SymTensor q, SymTensor k, SymTensor v, SymTensor g)
    {
        var parts = Range(q.Shape[0]).Select(h => Sdpa(Head(q, h), Head(k, h), Head(v, h), Head(g, h))).ToList();
        SymTensor Stack(Func<(SymTensor, SymTensor, SymTensor), SymTensor> pick) => new(q.Shape, [.. parts.SelectMany(t => pick(t).Data)]);
        return (Stack(t => t.Item1), Stack(t => t.Item2), Stack(t => t.Item3));
    }

    static SymTensor Plus(params SymTensor[] ts) => new(ts[0].Shape, [.. Range(ts[0].Length).Select(i => Add(ts.Select(t => t.Data[i])))]);

    /// <summary>MHSA layer backward: output projection, per-head SDPA, then the three projections fanned in (Thm 15).</summary>
    public static SymTensor MhsaLayerInput(SymTensor x, BlockParams p, int heads, SymTensor dy)
    {
        var q = Transformer.SplitHeads(MatMul(x, p.Wq), heads);
        var k = Transformer.SplitHeads(MatMul(x, p.Wk), heads);
        var v = Transformer.SplitHeads(MatMul(x, p.Wv), heads);
        var dMerged = MatMulLeftInput(p.Wo, dy);
        var (dQ, dK, dV) = Mhsa(q, k, v, Transformer.SplitHeads(dMerged, heads));
        return Plus(
            MatMulLeftInput(p.Wq, Transformer.MergeHeads(dQ)),
            MatMulLeftInput(p.Wk, Transformer.MergeHeads(dK)),
            MatMulLeftInput(p.Wv, Transformer.MergeHeads(dV)));
    }

    public static SymTensor LayerNormRowsInput(SymTensor x, SymTensor gamma, SymTensor dy) =>
        Rowwise(x, dy, (r, g) => LayerNormInput(r, gamma, g, Transformer.Eps));

    /// <summary>Transformer MLP backward (Thm 76): dense₂, GELU, dense₁ per token, chained.</summary>
    public static SymTensor MlpInput(SymTensor x, BlockParams p, SymTensor dy)
    {
        var h1 = Transformer.DenseRows(x, p.W1, p.B1);
        var dG = MatMulLeftInput(p.W2, dy);
        var dH1 = GeluInput(h1, dG, p.Gelu);
        return MatMulLeftInput(p.W1, dH1);
    }

    /// <summary>Attention sublayer backward (Thm 77): dY + LN₁ᵀ(MHSAᵀ(dY)) — identity and the branch fanned in.</summary>
    public static SymTensor AttentionSublayerInput(SymTensor x, BlockParams p, int heads, SymTensor dy)
    {
        var ln = Transformer.LayerNormRows(x, p.Ln1Gamma, p.Ln1Beta);
        return Plus(dy, LayerNormRowsInput(x, p.Ln1Gamma, MhsaLayerInput(ln, p, heads, dy)));
    }

    /// <summary>MLP sublayer backward (Thm 78): dY + LN₂ᵀ(MLPᵀ(dY)).</summary>
    public static SymTensor MlpSublayerInput(SymTensor x, BlockParams p, SymTensor dy)
    {
        var ln = Transformer.LayerNormRows(x, p.Ln2Gamma, p.Ln2Beta);
        return Plus(dy, LayerNormRowsInput(x, p.Ln2Gamma, MlpInput(ln, p, dy)));
    }

    /// <summary>Block backward (Thm 79): the MLP sublayer's, then the attention sublayer's (Thm 14).</summary>
    public static SymTensor BlockInput(SymTensor x, BlockParams p, int heads, SymTensor dy)
    {
        var mid = Transformer.AttentionSublayer(x, p, heads);
        return AttentionSublayerInput(x, p, heads, MlpSublayerInput(mid, p, dy));
    }

    /// <summary>Tower backward (Thm 80): block backwards in reverse order.</summary>
    public static SymTensor TowerInput(SymTensor x, IReadOnlyList<BlockParams> blocks, int heads, SymTensor dy)
    {
        var inputs = new List<SymTensor> { x };
        foreach (var p in blocks.Take(blocks.Count - 1)) inputs.Add(Transformer.Block(inputs[^1], p, heads));
        for (int b = blocks.Count - 1; b >= 0; b--) dy = BlockInput(inputs[b], blocks[b], heads, dy);
        return dy;
    }

    /// <summary>ViT body backward (Thm 81): final LayerNorm's, then the tower's.</summary>
    public static SymTensor VitBodyInput(SymTensor x, IReadOnlyList<BlockParams> blocks, SymTensor g, int heads, SymTensor dy)
    {
        var tower = Transformer.Tower(x, blocks, heads);
        return TowerInput(x, blocks, heads, LayerNormRowsInput(tower, g, dy));
    }
}
