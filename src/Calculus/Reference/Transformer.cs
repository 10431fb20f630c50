using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;

namespace LeanMlirVerify.Calculus.Reference;

/// <summary>
/// Parameters of one pre-LN transformer block: attention (Wq, Wk, Wv, Wo, bo) and MLP (W1, b1, W2, b2), and which GELU
/// the MLP applies (the book's erf form unless an instance asks for the runtime's tanh form).
/// </summary>
public sealed record BlockParams(
    SymTensor Ln1Gamma, SymTensor Ln1Beta, SymTensor Wq, SymTensor Wk, SymTensor Wv, SymTensor Wo, SymTensor Bo,
    SymTensor Ln2Gamma, SymTensor Ln2Beta, SymTensor W1, SymTensor B1, SymTensor W2, SymTensor B2)
{
    public GeluForm Gelu { get; init; } = GeluForm.Erf;

    public static BlockParams Vars(string prefix, int d, int hidden, GeluForm gelu) => Vars(prefix, d, hidden) with { Gelu = gelu };

    public static BlockParams Vars(string prefix, int d, int hidden) => new(
        SymTensor.Vars($"{prefix}ln1.g", d), SymTensor.Vars($"{prefix}ln1.b", d),
        SymTensor.Vars($"{prefix}Wq", d, d), SymTensor.Vars($"{prefix}Wk", d, d), SymTensor.Vars($"{prefix}Wv", d, d),
        SymTensor.Vars($"{prefix}Wo", d, d), SymTensor.Vars($"{prefix}bo", d),
        SymTensor.Vars($"{prefix}ln2.g", d), SymTensor.Vars($"{prefix}ln2.b", d),
        SymTensor.Vars($"{prefix}W1", d, hidden), SymTensor.Vars($"{prefix}b1", hidden),
        SymTensor.Vars($"{prefix}W2", hidden, d), SymTensor.Vars($"{prefix}b2", d));
}

/// <summary>The transformer forwards of Chapter 10 on token matrices X [n, D] (tokens are rows).</summary>
public static class Transformer
{
    public static readonly Rational Eps = new(1, 100000);

    public static SymTensor LayerNormRows(SymTensor x, SymTensor gamma, SymTensor beta) =>
        Rowwise(x, r => LayerNorm(r, gamma, beta, Eps));

    public static SymTensor DenseRows(SymTensor x, SymTensor w, SymTensor b) => Rowwise(x, r => Dense(r, w, b));
    public static SymTensor GeluRows(SymTensor x, GeluForm form = GeluForm.Erf) => x.Map(e => Gelu(e, form));

    /// <summary>Transformer MLP (Theorem 76): dense₂ ∘ GELU ∘ dense₁, per token.</summary>
    public static SymTensor Mlp(SymTensor x, BlockParams p) => DenseRows(GeluRows(DenseRows(x, p.W1, p.B1), p.Gelu), p.W2, p.B2);

    /// <summary>Splits [n, D] columns into heads: [H, n, D/H].</summary>
    public static SymTensor SplitHeads(SymTensor x, int heads)
    {
        int n = x.Shape[0], dh = x.Shape[1] / heads;
        return SymTensor.Build([heads, n, dh], ix => x[ix[1], ix[0] * dh + ix[2]]);
    }

    public static SymTensor MergeHeads(SymTensor t)
    {
        int heads = t.Shape[0], n = t.Shape[1], dh = t.Shape[2];
        return SymTensor.Build([n, heads * dh], ix => t[ix[1] / dh, ix[0], ix[1] % dh]);
    }

    /// <summary>The MHSA layer: project, split heads, multi-head SDPA, merge, output projection.</summary>
    public static SymTensor MhsaLayer(SymTensor x, BlockParams p, int heads)
    {
        var q = SplitHeads(MatMul(x, p.Wq), heads);
        var k = SplitHeads(MatMul(x, p.Wk), heads);
        var v = SplitHeads(MatMul(x, p.Wv), heads);
        return DenseRows(MergeHeads(Mhsa(q, k, v)), p.Wo, p.Bo);
    }

    public static SymTensor Residual(SymTensor x, SymTensor fx) => new(x.Shape, [.. x.Data.Zip(fx.Data, (a, b) => a + b)]);

    /// <summary>Attention sublayer (Theorem 77): X + MHSA(LN₁(X)).</summary>
    public static SymTensor AttentionSublayer(SymTensor x, BlockParams p, int heads) =>
        Residual(x, MhsaLayer(LayerNormRows(x, p.Ln1Gamma, p.Ln1Beta), p, heads));

    /// <summary>MLP sublayer (Theorem 78): X + MLP(LN₂(X)).</summary>
    public static SymTensor MlpSublayer(SymTensor x, BlockParams p) => Residual(x, Mlp(LayerNormRows(x, p.Ln2Gamma, p.Ln2Beta), p));

    public static SymTensor Block(SymTensor x, BlockParams p, int heads) => MlpSublayer(AttentionSublayer(x, p, heads), p);

    public static SymTensor Tower(SymTensor x, IReadOnlyList<BlockParams> blocks, int heads) =>
        blocks.Aggregate(x, (h, p) => Block(h, p, heads));

    /// <summary>ViT body (Theorem 81): final LayerNorm ∘ tower.</summary>
    public static SymTensor VitBody(SymTensor x, IReadOnlyList<BlockParams> blocks, SymTensor lnGamma, SymTensor lnBeta, int heads) =>
        LayerNormRows(Tower(x, blocks, heads), lnGamma, lnBeta);
}
