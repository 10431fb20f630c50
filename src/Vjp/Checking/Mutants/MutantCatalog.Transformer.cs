using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.Vjp.Checking.Mutants.MutantKind;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>Mutants of the transformer rules: GELU, softmax, LayerNorm, attention, patch embedding and the blocks.</summary>
public static partial class MutantCatalog
{
    static readonly double GeluC = Math.Sqrt(2 / Math.PI);

    static Tensor GeluT(Tensor x) => x.Add(x.Pow(3).Mul(0.044715)).Mul(GeluC).tanh();

    static IEnumerable<Mutant> TransformerMutants()
    {
        yield return M("gelu-tanh-cubic-constant", "gelu-tanh-composed", Realistic,
            "GELU-tanh derivative with 0.044715 where 3·0.044715 belongs: ½(1+t) + ½x(1−t²)·√(2/π)(1 + 0.044715x²)",
            Elementwise("gelu (tanh form) [composed]"), Derivative((x, _) =>
            {
                var t = GeluT(x);
                return t.Add(1).Mul(0.5).Add((x.Mul(0.5) * t.Square().RSub(1)).Mul(GeluC) * x.Square().Mul(0.044715).Add(1));
            }));
        yield return M("gelu-erf-phi-for-Phi", "gelu-erf", WrongTerm, "GELU-erf derivative with φ where Φ belongs: φ(x) + x·φ(x)",
            Elementwise("gelu (erf form)"), Derivative((x, _) =>
            {
                var phi = x.Square().Mul(-0.5).exp().Div(Math.Sqrt(2 * Math.PI));
                return phi.Add(x * phi);
            }));
        // On the Auto entries (libtorch's kernels in training): slips in how the rule is wired, whatever computes it.
        yield return M("gelu-tanh-derivative-at-output", "gelu-tanh", Realistic,
            "GELU-tanh's derivative evaluated at the output y instead of the input x", ItemIs(ItemId.gelu_tanh_has_vjp),
            s => s.Dx is null ? null : s.Dy * Activations.GeluTanhDerivative(s.Y, s.Y));
        yield return M("layernorm-dbeta-mean", "layernorm", Scale, "LayerNorm's β cotangent averaged over the vectors",
            ItemIs(ItemId.layerNorm_has_vjp), s => Rescale(s, s.Named(".β"), 1.0 / s.X.shape[0]));
        yield return M("gelu-tanh-native-erf-backward", "gelu-tanh-native", Realistic,
            "the native GELU pullback run as gelu_backward without approximate='tanh': the erf form's Φ(x) + xφ(x)",
            Of<GeluTanhNative<Vec>>(), Derivative((x, _) =>
                x.Div(Math.Sqrt(2)).erf().Add(1).Mul(0.5).Add((x * x.Square().Mul(-0.5).exp()).Div(Math.Sqrt(2 * Math.PI)))));
        yield return M("layernorm-native-gamma-not-passed", "layernorm-native", DroppedTerm,
            "the native LayerNorm backward called without γ (weight None): dx = the normalize step's pullback of dy, not of γ·dy",
            Of<LayerNormNative>(), s =>
            {
                if (s.Dx is null) return null;
                var ln = (LayerNormNative)s.Node;
                var (ones, zeros) = (ones_like(ln.Gamma.Value), zeros_like(ln.Beta.Value));
                var (_, mean, invStd) = NativeKernels.LayerNorm(s.X, ones, zeros, LayerNorm.Epsilon);
                return NativeKernels.LayerNormBackward(s.Dy.contiguous(), s.X, mean, invStd, ones, zeros).Dx;
            });
        yield return M("softmax-no-inner-product", "softmax", DroppedTerm, "softmax's pullback without the ⟨p, dy⟩ term: dx = p ⊙ dy",
            Of<Softmax>(), s => s.Dx is null ? null : s.Y * s.Dy);
        yield return M("row-softmax-whole-matrix", "row-softmax", WrongTerm,
            "row softmax's ⟨p, dy⟩ taken over the whole matrix instead of each row",
            ItemIs(ItemId.rowSoftmax_has_vjp_mat), s => s.Dx is null ? null
                : s.Y * (s.Dy - (s.Y * s.Dy).sum([1L, 2L], keepdim: true)));
        yield return M("layernorm-no-variance-path", "layernorm-composed", Realistic,
            "LayerNorm's variance path dropped: only the centring term of the product rule",
            n => Generic(typeof(MultiplicativeFanIn<,,>))(n) && n.Children[1] is BnIstdBroadcast,
            s => s.Dx is null ? null : s.Dx - s.Child(1, s.X).Pullback(s.Dy * s.Child(0, s.X).Y));
        yield return M("attention-scale-missing", "sdpa-q", Realistic,
            "attention's 1/√d missing in the pullback (the scores' scale applied forward only)",
            Generic(typeof(ScalarScale<>)), s => s.Dx is null ? null : s.Dy.clone());
        yield return M("sdpa-k-scaled", "sdpa-k", Scale, "SDPA's key cotangent × 1.001",
            ItemIs(ItemId.sdpa_back_K_correct), s => ScaleDx(s, 1.001));
        yield return M("sdpa-v-untransposed", "sdpa-v", TransposedFactor, "dV = A·G (Aᵀ forgotten; A is n×n)",
            Of<MatmulLeftConst>(m => m.A.shape[0] == m.A.shape[1]), s => s.Dx is null ? null : matmul(((MatmulLeftConst)s.Node).A, s.Dy));
        yield return M("matmul-fan-in-drops-second-term", "matmul-fan-in", DroppedTerm,
            "the batched product rule without its second term g*(f(x)ᵀ·dY)",
            Of<MatmulFanIn>(), s => s.Dx is null ? null
                : s.Dx - s.Child(1, s.X).Pullback(matmul(s.Child(0, s.X).Y.transpose(1, 2), s.Dy)));
        yield return M("mhsa-heads-merged-wrong", "mhsa", TransposedFactor,
            "the heads' merge undone in the wrong order ([n, dh, H] read as [n, H, dh])",
            n => Generic(typeof(Reindex<,>))(n) && n.Label.StartsWith("merge ", StringComparison.Ordinal), s =>
            {
                if (s.Dx is null) return null;
                long b = s.Y.shape[0], n = s.Y.shape[1], dh = s.X.shape[2], heads = s.Y.shape[2] / dh;
                return s.Dy.reshape(b, n, dh, heads).permute(0, 3, 1, 2).reshape(s.X.shape);
            });
        yield return M("patch-embed-cls-all-tokens", "patch-embed", WrongTerm,
            "the CLS vector's cotangent summed over every token instead of row 0",
            Of<ClsAndPositions>(), s =>
            {
                s.SetIncrement(((ClsAndPositions)s.Node).Cls, s.Dy.sum([0L, 1L]));
                return null;
            });
        yield return M("cls-token-last-row", "cls-token", TransposedFactor, "the CLS token's pullback puts dy into the last row",
            n => Generic(typeof(Reindex<,>))(n) && n.Label == "CLS token", s =>
            {
                if (s.Dx is null) return null;
                var dx = zeros_like(s.X);
                dx.narrow(1, s.X.shape[1] - 1, 1).copy_(s.Dy.unsqueeze(1));
                return dx;
            });
        yield return M("layernorm-dgamma-mean", "layernorm-per-token", Scale, "LayerNorm's γ cotangent averaged over the tokens",
            ItemIs(ItemId.layerNorm_has_vjp), s => Rescale(s, s.Named(".γ"), 1.0 / s.X.shape[0]));
        yield return M("dense-per-token-db-dropped", "dense-per-token", DroppedTerm, "the per-token dense bias gets no cotangent",
            ItemIs(ItemId.dense_per_token_has_vjp_mat), s => Drop(s, s.Named(".b")));
        yield return M("gelu-tanh-drops-half-term", "gelu-per-token", DroppedTerm, "GELU-tanh derivative without its ½(1 + t) term",
            ItemIs(ItemId.gelu_tanh_has_vjp), Derivative((x, _) =>
            {
                var t = GeluT(x);
                return (x.Mul(0.5) * t.Square().RSub(1)).Mul(GeluC) * x.Square().Mul(3 * 0.044715).Add(1);
            }));
        yield return M("attention-query-untransposed", "mhsa-layer", TransposedFactor,
            "the query projection's dx = dy·W (Wᵀ forgotten; W is dim×dim)",
            Labelled<Dense>("attn.q"), s => s.Dx is null ? null : matmul(s.Dy, ((Dense)s.Node).W.Value));
        yield return M("transformer-mlp-dw-first-token", "transformer-mlp", Scale,
            "the MLP's second dense kernel cotangent from the first token only",
            Labelled<Dense>("mlp.fc2"), s => FirstExampleOnly(s, ".W"));
        yield return M("attention-sublayer-drops-identity", "attention-sublayer", Realistic,
            "the attention sublayer's residual drops its identity path",
            ItemIs(ItemId.transformerAttnSublayer_has_vjp_mat), s => s.Dx is null ? null : s.Dx - s.Dy);
        yield return M("mlp-sublayer-identity-twice", "mlp-sublayer", WrongTerm,
            "the MLP sublayer's residual counts its identity path twice",
            ItemIs(ItemId.transformerMlpSublayer_has_vjp_mat), s => s.Dx is null ? null : s.Dx.Add(s.Dy));
        yield return M("block-value-dx-dropped", "transformer-block", DroppedTerm,
            "the block's value projection returns no input cotangent",
            Labelled<Dense>("blk.attn.v"), s => s.Dx is null ? null : zeros_like(s.Dx));
        yield return M("tower-scaled", "transformer-tower", Scale, "the tower's dx × 1.001",
            ItemIs(ItemId.transformerTower_has_vjp_mat), s => ScaleDx(s, 1.001));
        yield return M("vit-body-final-dbeta-dropped", "vit-body", DroppedTerm, "the final LayerNorm's β gets no cotangent",
            ItemIs(ItemId.layerNorm_has_vjp, "final_ln"), s => Drop(s, s.Named(".β")));
        yield return M("vit-head-db-dropped", "vit", DroppedTerm, "the ViT classifier's bias gets no cotangent",
            Labelled<Dense>("head"), s => Drop(s, s.Named(".b")));
    }
}
