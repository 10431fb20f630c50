using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

// Axioms (listed, not derived) and the negative family (wrong closed forms the checker must reject).
public static partial class DerivationCatalog
{
    static Derivation Axiom(string item, string statement, string reason) => new(item, statement, [], reason);

    static IEnumerable<Derivation> Axioms()
    {
        yield return Axiom(ItemId.pdiv_relu, "J = diag(1[x_i > 0])", "a subgradient convention at the kink (ReLU'(0) = 0), not a derivative; checked by FD and the oracle");
        yield return Axiom(ItemId.relu_has_vjp, "dx = 1[x > 0] ⊙ dy", "existence of the subgradient backward; same content as axiom 31");
        yield return Axiom(ItemId.mlp_has_vjp, "MLP backward by the chain rule", "a bundle of dense, ReLU and CE through the non-smooth ReLU");
        yield return Axiom(ItemId.conv2d_has_vjp3, "dx = SAMEconv(dy, flipped W)", "axiom in the book (spatial-rearrangement boundary); checked by FD and the oracle");
        yield return Axiom(ItemId.maxPool2_has_vjp3, "dy routed to the argmax of each window", "non-smooth (ties); convention: first maximum in row-major window order");
        yield return Axiom(ItemId.depthwise_has_vjp3, "dx = per-channel flipped-kernel SAMEconv(dy)", "axiom in the book (spatial-rearrangement boundary); checked by FD and the oracle");
        yield return Axiom(ItemId.mhsa_has_vjp_mat, "single-head SDPA backward per head, stacked", "bundled multi-head axiom; its per-head formulas are exercised inside items 77–81");
        yield return Axiom(ItemId.mhsa_layer_flat_diff, "flattened MHSA layer is differentiable", "a smoothness statement bundled with axiom 68; no formula to derive");
        yield return Axiom(ItemId.patchEmbed_flat_has_vjp, "dx from the grid-reshaped cotangent through the stride-P conv", "opaque-codegen boundary in the book; checked by FD and the oracle");
        yield return Axiom(ItemId.patchEmbed_flat_diff, "flattened patch embedding is differentiable", "a smoothness statement bundled with axiom 70; no formula to derive");
    }

    static IEnumerable<Derivation> NegativeFamily()
    {
        yield return new(ItemId.bnNormalize_has_vjp, "WRONG: dx_i = s·(g_i − x̂_i·Σ_j x̂_j g_j/n)  (the −(1/n)Σg term dropped)",
            [At("n=3", () => WrongBnNormalize(3))], Negative: true);
        yield return new(ItemId.pdiv_softmax, "WRONG: ∂p_j/∂z_i = −p_j·p_i  (δ_ij dropped)",
            [At("C=3", () => WrongSoftmax(3))], Negative: true);
        yield return new(ItemId.dense_weight_grad_correct, "WRONG: dW[i,j] = x_j·dy_i  (transposed; square so the shapes still match)",
            [At("x∈R^3, W 3×3", () => WrongDenseWeight(3))], Negative: true);
        yield return new(ItemId.pdiv_gelu, "WRONG: ∂gelu(x)_i/∂x_i = φ(x_i) + x_i·φ(x_i)  (φ used for Φ)",
            [At("n=2", () => WrongGelu(2))], Negative: true);
        yield return new(ItemId.gelu_tanh_has_vjp,
            "WRONG: dx_i = dy_i·(Φ(x_i) + x_i·φ(x_i))  (the erf form's derivative for the tanh form's)",
            [At("n=2", () => WrongGeluTanh(2))], Negative: true);
        yield return new(
            ItemId.transformerAttnSublayer_has_vjp_mat, "WRONG: dX = LN₁ᵀ(MHSAᵀ(dY))  (the residual's identity path dropped)",
            [At("n=2, D=2, H=1", () => WrongAttentionSublayer())], Negative: true);
    }

    static Case WrongAttentionSublayer()
    {
        var (x, dy) = (V("X", 2, 2), V("dY", 2, 2));
        var p = Reference.BlockParams.Vars("", 2, 2);
        var ln = Reference.Transformer.LayerNormRows(x, p.Ln1Gamma, p.Ln1Beta);
        var closed = ClosedForms.LayerNormRowsInput(x, p.Ln1Gamma, ClosedForms.MhsaLayerInput(ln, p, 1, dy));
        return new Case("n=2, D=2, H=1", Vjp(Reference.Transformer.AttentionSublayer(x, p, 1), x, dy), closed.Data);
    }

    static Case WrongBnNormalize(int n)
    {
        var (x, g) = (V("x", n), V("dy", n));
        var s = InverseStd(x, BnEps);
        var xhat = BnNormalize(x, BnEps);
        var sumXg = Add(Range(n).Select(j => xhat[j] * g[j]));
        return new Case($"n={n}", Vjp(BnNormalize(x, BnEps), x, g), [.. Range(n).Select(i => s * (g[i] - xhat[i] * sumXg / n))]);
    }

    static Case WrongSoftmax(int c)
    {
        var z = V("z", c);
        var p = Softmax(z);
        return new Case($"C={c}", Jac(p, z), JacForm(c, c, (i, j) => -(p[j] * p[i])));
    }

    static Case WrongDenseWeight(int n)
    {
        var (x, w, _, dy, y) = DenseSetup(n, n);
        return new Case($"x∈R^{n}, W {n}×{n}", Vjp(y, w, dy), SymTensor.Build([n, n], ij => x[ij[1]] * dy[ij[0]]).Data);
    }

    // The two forms differ by up to 8.7e-4 in their derivatives: a check that took one for the other must fail.
    static Case WrongGeluTanh(int n)
    {
        var (x, dy) = (V("x", n), V("dy", n));
        return new Case($"n={n}", Vjp(x.Map(GeluTanh), x, dy), ClosedForms.GeluInput(x, dy).Data);
    }

    static Case WrongGelu(int n)
    {
        var x = V("x", n);
        return new Case($"n={n}", Jac(x.Map(Gelu), x),
            JacForm(n, n, (i, j) => i == j ? ClosedForms.Density(x[i]) + x[i] * ClosedForms.Density(x[i]) : Zero));
    }
}
