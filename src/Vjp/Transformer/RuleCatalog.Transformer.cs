using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Transformer;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// Catalog entries of the transformer family: tokens 1–5, feature widths 1–6, heads dividing the width, batch 1–3.
/// Every rule here is smooth, so the domain is all of the input space (LayerNorm's ε keeps it smooth at constant
/// vectors). Blocks are checked with all their parameters at small widths.
/// </summary>
public static partial class RuleCatalog
{
    const int TransformerBlockRuns = 3;

    static partial void AddTransformerEntries(List<RuleEntry> list)
    {
        list.AddRange(TransformerPrimitiveEntries());
        list.AddRange(TransformerCompositionEntries());
    }

    static (long b, long n, long d) Tokens(Init init) => (init.Int(1, 3), init.Int(1, 5), init.Int(1, 6));

    static string TokenSizes(long b, long n, long d, params (string, long)[] more) =>
        Sample.Sizes([("B", b), ("tokens", n), ("d", d), .. more]);

    static CheckCase TokenCase(HasVjp<Mat, Mat> rule, Init init, long b, long n, long d, params (string, long)[] more) =>
        CheckCase.Of(rule, init.Point(b, n, d), TokenSizes(b, n, d, more));

    static IEnumerable<RuleEntry> TransformerPrimitiveEntries()
    {
        yield return new("gelu-tanh", ItemId.gelu_has_vjp, "any x", init =>
            CheckCase.Of(TransformerActivations.GeluTanh<Vec>(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("gelu-erf", ItemId.pdiv_gelu, "any x", init =>
            CheckCase.Of(TransformerActivations.GeluErf<Vec>(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("softmax", ItemId.softmax_has_vjp, "any x", init =>
            CheckCase.Of(new Softmax(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("row-softmax", ItemId.rowSoftmax_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(TransformerActivations.RowSoftmax(), init, b, n, d);
        });
        yield return new("layernorm", ItemId.layerNorm_has_vjp, "any x; γ, β ~ N(0,1)", init =>
        {
            long n = init.Int(1, 6), d = init.Int(1, 6);
            return CheckCase.Of(LayerNorm.Create(init.Point(d), init.Point(d)), init.Point(n, d), Sample.Sizes(("N", n), ("D", d)));
        });
        yield return new("sdpa-q", ItemId.sdpa_back_Q_correct, "any Q; K, V ~ N(0,1) fixed", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(Attention.WrtQ(init.Point(n, d), init.Point(n, d)), init, b, n, d);
        });
        yield return new("sdpa-k", ItemId.sdpa_back_K_correct, "any K; Q, V ~ N(0,1) fixed", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(Attention.WrtK(init.Point(n, d), init.Point(n, d)), init, b, n, d);
        });
        yield return new("sdpa-v", ItemId.sdpa_back_V_correct, "any V; Q, K ~ N(0,1) fixed", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(Attention.WrtV(init.Point(n, d), init.Point(n, d)), init, b, n, d);
        });
        yield return new("matmul-fan-in", ItemId.biPathMat_has_vjp, "(X·P)·(Xᵀ·R), any X", init =>
        {
            long b = init.Int(1, 3), r = init.Int(1, 4), c = init.Int(1, 4), q = init.Int(1, 4);
            var left = MatrixKit.MatmulRightConst(init.Point(c, c));
            var right = MatrixKit.Transpose().Then(MatrixKit.MatmulRightConst(init.Point(r, q)));
            return CheckCase.Of(new MatmulFanIn(left, right), init.Point(b, r, c));
        });
        yield return new("mhsa", ItemId.mhsa_has_vjp_mat, "packed Q | K | V, any", init =>
        {
            long b = init.Int(1, 3), n = init.Int(1, 5), heads = init.Int(1, 3), dh = init.Int(1, 2);
            return TokenCase(Attention.MultiHead(heads, dh), init, b, n, 3 * heads * dh, ("H", heads), ("dh", dh));
        });
        yield return new("patch-embed", ItemId.patchEmbed_flat_has_vjp, "any image; all parameters ~ N(0,1)", init =>
        {
            long b = init.Int(1, 3), ic = init.Int(1, 3), p = init.Int(1, 3), gh = init.Int(1, 3), gw = init.Int(1, 3), d = init.Int(1, 4);
            var embed = PatchEmbed.Create(init.Point(d, ic, p, p), init.Point(d), init.Point(d), init.Point(gh * gw + 1, d));
            return CheckCase.Of(embed, init.Point(b, ic, gh * p, gw * p),
                Sample.Sizes(("B", b), ("ic", ic), ("p", p), ("grid", gh), ("x", gw), ("D", d)));
        });
        yield return new("cls-token", ItemId.pdiv_reindex, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            return CheckCase.Of(Layout.ClsToken(), init.Point(b, n, d), TokenSizes(b, n, d));
        });
    }

    /// <summary>
    /// (width, heads) with the head count dividing the width. Widths start at 3 for anything with a LayerNorm inside:
    /// LN over two features is ±(a − b)/√((a − b)² + 4ε), whose curvature near a = b (∝ 1/|a − b|³) defeats a central
    /// difference at random points of a whole block (measured: 2e-6 relative on a width-2 block).
    /// </summary>
    static readonly (long dim, long heads)[] HeadShapes = [(3, 1), (3, 3), (4, 1), (4, 2), (5, 1), (6, 2), (6, 3)];

    static (long dim, long heads) Heads(Init init) => HeadShapes[init.Int(0, HeadShapes.Length - 1)];

    static IEnumerable<RuleEntry> TransformerCompositionEntries()
    {
        yield return new("layernorm-per-token", ItemId.layerNorm_per_token_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            var ln = LayerNorm.Create(init.Point(d), init.Point(d));
            return TokenCase(LayerNorm.PerToken(ln), init, b, n, d);
        });
        yield return new("dense-per-token", ItemId.dense_per_token_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(TransformerBlocks.DensePerToken(d, init.Int(1, 6), init, "fc"), init, b, n, d);
        });
        yield return new("gelu-per-token", ItemId.gelu_per_token_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(TransformerBlocks.GeluPerToken(), init, b, n, d);
        });
        yield return new("mhsa-layer", ItemId.mhsa_layer_flat_diff, "any X; projections He", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 3), n = init.Int(1, 5);
            return TokenCase(Attention.Layer(dim, heads, init), init, b, n, dim, ("H", heads));
        }, TransformerBlockRuns);
        yield return new("transformer-mlp", ItemId.transformerMlp_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            var mlp = init.Int(1, 6);
            return TokenCase(TransformerBlocks.Mlp(d, mlp, init), init, b, n, d, ("mlp", mlp));
        }, TransformerBlockRuns);
        yield return new("attention-sublayer", ItemId.transformerAttnSublayer_has_vjp_mat, "any X; width 3–6, heads dividing it", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 3), n = init.Int(1, 5);
            return TokenCase(TransformerBlocks.AttentionSublayer(dim, heads, init), init, b, n, dim, ("H", heads));
        }, TransformerBlockRuns);
        yield return new("mlp-sublayer", ItemId.transformerMlpSublayer_has_vjp_mat, "any X; width 3–6", init =>
        {
            var (b, n, _) = Tokens(init);
            var d = init.Int(3, 6);
            var mlp = init.Int(1, 6);
            return TokenCase(TransformerBlocks.MlpSublayer(d, mlp, init), init, b, n, d, ("mlp", mlp));
        }, TransformerBlockRuns);
        yield return new("transformer-block", ItemId.transformerBlock_has_vjp_mat, "any X; width 3–6, heads dividing it", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 3), n = init.Int(1, 5), mlp = init.Int(1, 6);
            return TokenCase(TransformerBlocks.Block(dim, heads, mlp, init), init, b, n, dim, ("H", heads), ("mlp", mlp));
        }, TransformerBlockRuns);
        yield return new("transformer-tower", ItemId.transformerTower_has_vjp_mat, "any X; width 3–6; depth 0–2", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 2), n = init.Int(1, 4), mlp = init.Int(1, 4);
            var depth = init.Int(0, 2);
            return TokenCase(TransformerBlocks.Tower(dim, heads, mlp, depth, init), init, b, n, dim, ("H", heads), ("depth", depth));
        }, TransformerBlockRuns);
        yield return new("vit-body", ItemId.vit_body_has_vjp_mat, "any X; width 3–6; depth 1–2", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 2), n = init.Int(1, 4), mlp = init.Int(1, 4);
            var depth = init.Int(1, 2);
            return TokenCase(TransformerBlocks.Body(dim, heads, mlp, depth, init), init, b, n, dim, ("H", heads), ("depth", depth));
        }, TransformerBlockRuns);
        yield return new("vit", ItemId.vjp_comp, "any image; patch embed → encoder → dense", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 2), p = init.Int(1, 2), size = p * init.Int(1, 2);
            var vit = TransformerBlocks.Vit(2, size, p, dim, heads, mlp: 3, depth: 1, classes: 3, init);
            return CheckCase.Of(vit, init.Point(b, 2, size, size), Sample.Sizes(("B", b), ("image", size), ("p", p), ("dim", dim), ("H", heads)));
        }, TransformerBlockRuns);
    }
}
