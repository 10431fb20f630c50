using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// Catalog entries of the transformer family: tokens 1–5, feature widths 1–6, heads dividing the width, batch 1–3.
/// Every rule here is smooth, so the domain is all of the input space (LayerNorm's ε keeps it smooth at constant
/// vectors). Blocks are checked with all their parameters at small widths.
/// </summary>
public static partial class RuleCatalog
{
    const int TransformerBlockRuns = 3;

    static IEnumerable<RuleEntry> TransformerEntries() => [.. TransformerPrimitiveEntries(), .. TransformerCompositionEntries()];

    static (long b, long n, long d) Tokens(Init init) => (init.Int(1, 3), init.Int(1, 5), init.Int(1, 6));

    static string TokenSizes(long b, long n, long d, params (string, long)[] more) =>
        Sample.Sizes([("B", b), ("tokens", n), ("d", d), .. more]);

    static CheckCase TokenCase(HasVjp<Mat, Mat> rule, Init init, long b, long n, long d, params (string, long)[] more) =>
        CheckCase.Of(rule, init.Point(b, n, d), TokenSizes(b, n, d, more));

    static IEnumerable<RuleEntry> TransformerPrimitiveEntries()
    {
        yield return new("gelu-tanh", ItemId.gelu_tanh_has_vjp, "any x (the tanh form training runs)", init =>
            CheckCase.Of(Activations.GeluTanh<Vec>(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        // The forced strategies (the entry above runs Auto, libtorch's kernels).
        foreach (var strategy in Enum.GetValues<KernelStrategy>().Where(s => s != KernelStrategy.Auto))
            yield return new($"gelu-tanh-{KernelStrategies.Name(strategy)}", ItemId.gelu_tanh_has_vjp,
                $"any x; {KernelStrategies.Name(strategy)} (forced)", init =>
                CheckCase.Of(Activations.GeluTanh<Vec>(strategy), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("gelu-erf", ItemId.gelu_has_vjp, "any x (the ledger's erf form)", init =>
            CheckCase.Of(Activations.GeluErf<Vec>(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("softmax", ItemId.softmax_has_vjp, "any x", init =>
            CheckCase.Of(new Softmax(), init.Point(init.Int(1, 3), init.Int(1, 6))));
        yield return new("row-softmax", ItemId.rowSoftmax_has_vjp_mat, "any X", init =>
        {
            var (b, n, d) = Tokens(init);
            return TokenCase(Softmax.Rows(), init, b, n, d);
        });
        yield return new("layernorm", ItemId.layerNorm_has_vjp, "every vector's variance ≥ 0.25; γ, β ~ N(0,1)", init =>
        {
            long n = init.Int(1, 6), d = init.Int(1, 6);
            return CheckCase.Of(LayerNorm.Create(init.Point(d), init.Point(d)), SpreadTokens(init, n, d), Sample.Sizes(("N", n), ("D", d)));
        });
        // The forced strategies (the entry above runs Auto, libtorch's kernels): the composition of BN's pieces, the kernels.
        foreach (var strategy in Enum.GetValues<KernelStrategy>().Where(s => s != KernelStrategy.Auto))
            yield return new($"layernorm-{KernelStrategies.Name(strategy)}", ItemId.layerNorm_has_vjp,
                $"every vector's variance ≥ 0.25; γ, β ~ N(0,1); {KernelStrategies.Name(strategy)} (forced)", init =>
            {
                long n = init.Int(1, 6), d = init.Int(1, 6);
                return CheckCase.Of(LayerNorm.Create(init.Point(d), init.Point(d), strategy: strategy), SpreadTokens(init, n, d),
                    Sample.Sizes(("N", n), ("D", d)));
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
    /// LayerNorm's domain for a central difference: every token's feature variance at least 0.25 (tokens redrawn until
    /// so). LN's curvature grows like s³ = (σ² + ε)^(−3/2) as a token's variance falls toward ε; at random N(0,1) points
    /// of width 2–3 a token with σ² ≈ 1e-4 turns up within a few hundred cases and the ε² truncation term then reaches
    /// 1e-4 (measured). Width-1 tokens are kept: LN maps them to β identically.
    /// </summary>
    static Tensor SpreadTokens(Init init, params long[] shape)
    {
        var x = init.Point(shape);
        if (shape[^1] < 2) return x;
        for (var narrow = Narrow(x); narrow.any().item<bool>(); narrow = Narrow(x))
            x = where(narrow.unsqueeze(-1), init.Point(shape), x);
        return x;
    }

    static Tensor Narrow(Tensor x) => (x - x.mean([-1L], keepdim: true)).Square().mean([-1L]).Lt(0.25);

    /// <summary>
    /// (width, heads) with the head count dividing the width, for rules with a LayerNorm inside. Widths start at 4:
    /// the inner LayerNorms (after a residual, the final one) see tokens this catalog cannot keep spread, and a
    /// narrow token of width 2–3 defeats the central difference (see <see cref="SpreadTokens"/>).
    /// </summary>
    static readonly (long dim, long heads)[] HeadShapes = [(4, 1), (4, 2), (4, 4), (5, 1), (6, 1), (6, 2), (6, 3)];

    static (long dim, long heads) Heads(Init init) => HeadShapes[init.Int(0, HeadShapes.Length - 1)];

    static CheckCase SpreadCase(HasVjp<Mat, Mat> rule, Init init, long b, long n, long d, params (string, long)[] more) =>
        CheckCase.Of(rule, SpreadTokens(init, b, n, d), TokenSizes(b, n, d, more));

    static IEnumerable<RuleEntry> TransformerCompositionEntries()
    {
        yield return new("layernorm-per-token", ItemId.layerNorm_per_token_has_vjp_mat, "every token's variance ≥ 0.25", init =>
        {
            var (b, n, d) = Tokens(init);
            var ln = LayerNorm.Create(init.Point(d), init.Point(d));
            return SpreadCase(LayerNorm.PerToken(ln), init, b, n, d);
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
        yield return new("attention-sublayer", ItemId.transformerAttnSublayer_has_vjp_mat,
            "any X; width 4–6; tokens' variance ≥ 0.25, heads dividing it", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 3), n = init.Int(1, 5);
            return SpreadCase(TransformerBlocks.AttentionSublayer(dim, heads, init), init, b, n, dim, ("H", heads));
        }, TransformerBlockRuns);
        yield return new("mlp-sublayer", ItemId.transformerMlpSublayer_has_vjp_mat, "width 2–6; tokens' variance ≥ 0.25", init =>
        {
            var (b, n, _) = Tokens(init);
            var d = init.Int(3, 6);
            var mlp = init.Int(1, 6);
            return SpreadCase(TransformerBlocks.MlpSublayer(d, mlp, init), init, b, n, d, ("mlp", mlp));
        }, TransformerBlockRuns);
        yield return new("transformer-block", ItemId.transformerBlock_has_vjp_mat,
            "any X; width 4–6; tokens' variance ≥ 0.25, heads dividing it", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 3), n = init.Int(1, 5), mlp = init.Int(1, 6);
            return SpreadCase(TransformerBlocks.Block(dim, heads, mlp, init), init, b, n, dim, ("H", heads), ("mlp", mlp));
        }, TransformerBlockRuns);
        // Towers and bodies are drawn one block deep: two blocks at widths 4–6 amplify the residual stream so that an inner
        // LayerNorm's ε² truncation term reaches 1e-4 relative in about one case in 40 (measured; it falls 100× per 10×
        // smaller step, so it is the difference, not the pullback). Depth 2 is checked by the adjoint test of a tiny ViT.
        yield return new("transformer-tower", ItemId.transformerTower_has_vjp_mat,
            "any X; width 4–6; tokens' variance ≥ 0.25; depth 0–1", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 2), n = init.Int(1, 4), mlp = init.Int(1, 4);
            var depth = init.Int(0, 1);
            return SpreadCase(TransformerBlocks.Tower(dim, heads, mlp, depth, init), init, b, n, dim, ("H", heads), ("depth", depth));
        }, TransformerBlockRuns);
        yield return new("vit-body", ItemId.vit_body_has_vjp_mat, "any X; width 4–6; tokens' variance ≥ 0.25; depth 1", init =>
        {
            var (dim, heads) = Heads(init);
            long b = init.Int(1, 2), n = init.Int(1, 4), mlp = init.Int(1, 4);
            const int depth = 1;
            return SpreadCase(TransformerBlocks.Body(dim, heads, mlp, depth, init), init, b, n, dim, ("H", heads), ("depth", depth));
        }, TransformerBlockRuns);
        yield return new("vit", ItemId.vjp_comp, "any image; width 6; patch embed → encoder → dense", init =>
        {
            long dim = 6, heads = init.Int(2, 3);
            long b = init.Int(1, 2), p = init.Int(1, 2), size = p * init.Int(1, 2);
            var vit = TransformerBlocks.Vit(2, size, p, dim, heads, mlp: 3, depth: 1, classes: 3, init);
            return CheckCase.Of(vit, init.Point(b, 2, size, size),
                Sample.Sizes(("B", b), ("image", size), ("p", p), ("dim", dim), ("H", heads)));
        }, TransformerBlockRuns);
    }
}
