using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// The pre-LN ViT encoder (netspec <c>transformerEncoder</c>) and the ViT, as compositions only (items 72–81):
/// block x ↦ y = x + O(MHSA(LN1(x))), z = y + FC2(GELU(FC1(LN2(y)))); a tower of blocks; the final LayerNorm; the CLS
/// token. GELU is the tanh form. Parameter order per block matches the netspec: LN1 γ β, Wq bq, Wk bk, Wv bv, Wo bo,
/// LN2 γ β, W1 b1, W2 b2; then the final γ β.
/// </summary>
public static class TransformerBlocks
{
    /// <summary>Dense applied to every token (item 73 = row-wise lift 25 of item 33).</summary>
    public static HasVjp<Mat, Mat> DensePerToken(long fanIn, long fanOut, Init init, string name) =>
        DensePerToken(new Dense(fanIn, fanOut, init, name));

    public static HasVjp<Mat, Mat> DensePerToken(Dense dense) =>
        Compose.Named(ItemId.dense_per_token_has_vjp_mat, $"per-token {dense.Label}", MatrixKit.RowWise(dense));

    /// <summary>
    /// Tanh-form GELU on every token: item 74, the row-wise lift (25) of GELU, here of the tanh form (binding
    /// gelu_tanh_has_vjp), not of item 61's erf form (convention gelu-forms).
    /// </summary>
    public static HasVjp<Mat, Mat> GeluPerToken() =>
        Compose.Named(ItemId.gelu_per_token_has_vjp_mat, "per-token gelu", MatrixKit.RowWise(Activations.GeluTanh<Vec>()));

    /// <summary>FC1 (dim→mlp) · GELU · FC2 (mlp→dim), per token (item 76).</summary>
    public static HasVjp<Mat, Mat> Mlp(long dim, long mlp, Init init, string name = "mlp") =>
        Compose.Named(ItemId.transformerMlp_has_vjp_mat, $"{name} {dim}→{mlp}→{dim}",
            DensePerToken(dim, mlp, init, $"{name}.fc1").Then(GeluPerToken()).Then(DensePerToken(mlp, dim, init, $"{name}.fc2")));

    /// <summary>x + MHSA(LN1(x)) (item 77: additive fan-in 15 of the identity 16 and the attention path).</summary>
    public static HasVjp<Mat, Mat> AttentionSublayer(long dim, long heads, Init init, string name = "blk") =>
        Compose.Named(ItemId.transformerAttnSublayer_has_vjp_mat, $"{name} attention sublayer",
            Compose.Add(Compose.Identity<Mat>(),
                LayerNorm.PerToken(dim, init, $"{name}.ln1").Then(Attention.Layer(dim, heads, init, $"{name}.attn"))));

    /// <summary>y + MLP(LN2(y)) (item 78).</summary>
    public static HasVjp<Mat, Mat> MlpSublayer(long dim, long mlp, Init init, string name = "blk") =>
        Compose.Named(ItemId.transformerMlpSublayer_has_vjp_mat, $"{name} mlp sublayer",
            Compose.Add(Compose.Identity<Mat>(),
                LayerNorm.PerToken(dim, init, $"{name}.ln2").Then(Mlp(dim, mlp, init, $"{name}.mlp"))));

    /// <summary>One pre-LN block (item 79): attention sublayer then MLP sublayer.</summary>
    public static HasVjp<Mat, Mat> Block(long dim, long heads, long mlp, Init init, string name = "blk") =>
        Compose.Named(ItemId.transformerBlock_has_vjp_mat, $"{name} dim={dim} H={heads} mlp={mlp}",
            AttentionSublayer(dim, heads, init, name).Then(MlpSublayer(dim, mlp, init, name)));

    /// <summary>Blocks chained (item 80); depth 0 is the identity.</summary>
    public static HasVjp<Mat, Mat> Tower(long dim, long heads, long mlp, int depth, Init init, string name = "blk")
    {
        HasVjp<Mat, Mat> tower = Compose.Identity<Mat>();
        for (var i = 0; i < depth; i++)
        {
            var block = Block(dim, heads, mlp, init, $"{name}{i}");
            tower = i == 0 ? block : tower.Then(block);
        }
        return Compose.Named(ItemId.transformerTower_has_vjp_mat, $"tower ×{depth}", tower);
    }

    /// <summary>The ViT body (item 81): the tower then the final per-token LayerNorm; tokens stay a matrix.</summary>
    public static HasVjp<Mat, Mat> Body(long dim, long heads, long mlp, int depth, Init init) =>
        Compose.Named(ItemId.vit_body_has_vjp_mat, $"vit body dim={dim} H={heads} mlp={mlp} ×{depth}",
            Tower(dim, heads, mlp, depth, init).Then(LayerNorm.PerToken(dim, init, "final_ln")));

    /// <summary>The netspec's <c>transformerEncoder (dim, heads, mlpDim, nBlocks)</c>: body, then only the CLS token [B, dim].</summary>
    public static HasVjp<Mat, Vec> Encoder(long dim, long heads, long mlp, int depth, Init init) =>
        Body(dim, heads, mlp, depth, init).Then(Layout.ClsToken());

    /// <summary>A whole ViT: patch embedding, encoder, classifier dense on the CLS token (image → logits).</summary>
    public static HasVjp<Tensor3, Vec> Vit(long ic, long imageSize, long patch, long dim, long heads, long mlp, int depth,
        long classes, Init init)
    {
        var patches = (imageSize / patch) * (imageSize / patch);
        return PatchEmbed.Create(ic, dim, patch, patches, init)
            .Then(Encoder(dim, heads, mlp, depth, init))
            .Then(new Dense(dim, classes, init, "head"));
    }
}
