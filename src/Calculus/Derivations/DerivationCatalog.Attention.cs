using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Reference;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

// Chapter 10: softmax, SDPA, per-token lifts and the transformer chains.
public static partial class DerivationCatalog
{
    static IEnumerable<Derivation> Attention()
    {
        yield return Entry(ItemId.pdiv_softmax, "∂softmax(z)_j/∂z_i = p_j·(δ_ij − p_i)",
            At("C=3", () => SoftmaxJacobian(3)), At("C=5", () => SoftmaxJacobian(5)));
        yield return Entry(ItemId.softmax_has_vjp, "dz_i = p_i·(dy_i − ⟨p, dy⟩)",
            At("C=3", () => SoftmaxVjp(3)), At("C=5", () => SoftmaxVjp(5)));
        yield return Entry(ItemId.rowSoftmax_has_vjp_mat, "per row r: dZ_r = p_r ⊙ (dY_r − ⟨p_r, dY_r⟩)",
            At("Z 2×3", () => RowSoftmaxVjp(2, 3)), At("Z 3×2", () => RowSoftmaxVjp(3, 2)));
        foreach (var (item, which, form) in new[] {
            (ItemId.sdpa_back_Q_correct, 0, "dQ = dZ·K, dZ = dS/√d, dS_r = A_r ⊙ (dA_r − ⟨A_r, dA_r⟩), dA = G·Vᵀ"),
            (ItemId.sdpa_back_K_correct, 1, "dK = dZᵀ·Q"),
            (ItemId.sdpa_back_V_correct, 2, "dV = Aᵀ·G") })
            yield return Entry(item, form, At("n=2, d=2", () => SdpaVjp(2, 2, which)), At("n=3, d=2", () => SdpaVjp(3, 2, which)));
        yield return Entry(ItemId.layerNorm_per_token_has_vjp_mat, "per token r: dX_r = LayerNorm VJP(X_r, γ ⊙ dY_r)",
            At("X 2×3", () => LayerNormRowsVjp(2, 3)), At("X 3×2", () => LayerNormRowsVjp(3, 2)));
        yield return Entry(ItemId.dense_per_token_has_vjp_mat, "dX = dY·Wᵀ, dW = Xᵀ·dY, db = Σ_r dY_r",
            At("X 2×3, W 3×2", () => DenseRowsVjp(2, 3, 2)), At("X 3×2, W 2×4", () => DenseRowsVjp(3, 2, 4)));
        // Items 74 and 76–81 state liftings and compositions that hold for either GELU (convention gelu-forms): each is
        // checked at the book's erf form and at the tanh form training runs (the instances marked "GELU tanh").
        yield return Entry(ItemId.gelu_per_token_has_vjp_mat, "dX = dY ⊙ gelu'(X): Φ(X) + X·φ(X) (erf) or the tanh form's derivative",
            At("X 2×3", () => GeluRowsVjp(2, 3, GeluForm.Erf)), At("X 3×2", () => GeluRowsVjp(3, 2, GeluForm.Erf)),
            At("X 2×3, GELU tanh", () => GeluRowsVjp(2, 3, GeluForm.Tanh)));
        yield return Entry(ItemId.rowSoftmax_flat_diff, "flattened row softmax is smooth; its Jacobian is block-diagonal p_j(δ_ij − p_i) per row",
            At("Z 2×3", () => RowSoftmaxFlat(2, 3)), At("Z 3×2", () => RowSoftmaxFlat(3, 2)));
        yield return Entry(ItemId.transformerMlp_has_vjp_mat, "MLP = dense₂∘GELU∘dense₁ per token: dX = (GELU'(H)⊙(dY·W₂ᵀ))·W₁ᵀ",
            At("n=2, D=2, F=3", () => Transformer("n=2, D=2, F=3", 2, 2, 3, 1, 1, Piece.Mlp)),
            At("n=3, D=2, F=2", () => Transformer("n=3, D=2, F=2", 3, 2, 2, 1, 1, Piece.Mlp)),
            WithTanhGelu("n=2, D=2, F=3", 2, 2, 3, 1, 1, Piece.Mlp));
        yield return Entry(ItemId.transformerAttnSublayer_has_vjp_mat, "X + MHSA(LN₁(X)): dX = dY + LN₁ᵀ(MHSAᵀ(dY)), MHSAᵀ = Σ of the Q/K/V projections of the per-head SDPA backward",
            At("n=2, D=3, H=1", () => Transformer("n=2, D=3, H=1", 2, 3, 2, 1, 1, Piece.Attention)),
            At("n=2, D=2, H=2", () => Transformer("n=2, D=2, H=2", 2, 2, 2, 2, 1, Piece.Attention)));
        yield return Entry(ItemId.transformerMlpSublayer_has_vjp_mat, "X + MLP(LN₂(X)): dX = dY + LN₂ᵀ(MLPᵀ(dY))",
            At("n=2, D=3, F=2", () => Transformer("n=2, D=3, F=2", 2, 3, 2, 1, 1, Piece.MlpSublayer)),
            At("n=3, D=2, F=2", () => Transformer("n=3, D=2, F=2", 3, 2, 2, 1, 1, Piece.MlpSublayer)),
            WithTanhGelu("n=2, D=3, F=2", 2, 3, 2, 1, 1, Piece.MlpSublayer));
        yield return Entry(ItemId.transformerBlock_has_vjp_mat, "block = MLP sublayer ∘ attention sublayer: dX = attnᵀ(mlpᵀ(dY))",
            At("n=2, D=3, H=1, F=2", () => Transformer("n=2, D=3, H=1, F=2", 2, 3, 2, 1, 1, Piece.Block)),
            At("n=2, D=2, H=2, F=3", () => Transformer("n=2, D=2, H=2, F=3", 2, 2, 3, 2, 1, Piece.Block)),
            WithTanhGelu("n=2, D=2, H=2, F=3", 2, 2, 3, 2, 1, Piece.Block));
        yield return Entry(ItemId.transformerTower_has_vjp_mat, "tower of k blocks: block backwards in reverse order",
            At("depth 1, n=2, D=3, H=1", () => Transformer("depth 1, n=2, D=3, H=1", 2, 3, 2, 1, 1, Piece.Tower)),
            At("depth 2, n=2, D=2, H=1", () => Transformer("depth 2, n=2, D=2, H=1", 2, 2, 2, 1, 2, Piece.Tower)),
            WithTanhGelu("depth 2, n=2, D=2, H=1", 2, 2, 2, 1, 2, Piece.Tower));
        yield return Entry(ItemId.vit_body_has_vjp_mat, "ViT body = final LN ∘ tower: dX = towerᵀ(LNᵀ(dY))",
            At("depth 1, n=2, D=3, H=3", () => Transformer("depth 1, n=2, D=3, H=3", 2, 3, 2, 3, 1, Piece.VitBody)),
            At("depth 2, n=2, D=2, H=1", () => Transformer("depth 2, n=2, D=2, H=1", 2, 2, 2, 1, 2, Piece.VitBody)),
            WithTanhGelu("depth 1, n=2, D=3, H=3", 2, 3, 2, 3, 1, Piece.VitBody));
    }

    static Case SoftmaxJacobian(int c)
    {
        var z = V("z", c);
        var p = Softmax(z);
        return new Case($"C={c}", Jac(p, z), JacForm(c, c, (i, j) => p[j] * (Delta(i, j) - p[i])));
    }

    static Case SoftmaxVjp(int c)
    {
        var (z, dy) = (V("z", c), V("dy", c));
        return new Case($"C={c}", Vjp(Softmax(z), z, dy), ClosedForms.SoftmaxInput(z, dy).Data);
    }

    static Case RowSoftmaxVjp(int n, int c)
    {
        var (z, dy) = (V("Z", n, c), V("dY", n, c));
        return new Case($"Z {n}×{c}", Vjp(RowSoftmax(z), z, dy), ClosedForms.Rowwise(z, dy, ClosedForms.SoftmaxInput).Data);
    }

    static Case RowSoftmaxFlat(int n, int c)
    {
        var z = V("Z", n, c);
        var f = RowSoftmax(z);
        var closed = JacForm(n * c, n * c, (a, b) =>
            a / c != b / c ? Zero : f.Data[b] * (Delta(a, b) - f.Data[a]));
        return new Case($"Z {n}×{c}", Jac(f, z), closed, requireSmooth: true);
    }

    static Case SdpaVjp(int n, int d, int which)
    {
        var (q, k, v, g) = (V("Q", n, d), V("K", n, d), V("V", n, d), V("G", n, d));
        var y = Sdpa(q, k, v);
        var closed = ClosedForms.Sdpa(q, k, v, g);
        var (wrt, form) = which switch { 0 => (q, closed.dQ), 1 => (k, closed.dK), _ => (v, closed.dV) };
        return new Case($"n={n}, d={d}", Vjp(y, wrt, g), form.Data);
    }

    static Case LayerNormRowsVjp(int n, int d)
    {
        var (x, g, b, dy) = (V("X", n, d), V("γ", d), V("β", d), V("dY", n, d));
        return new Case(
            $"X {n}×{d}", Vjp(Reference.Transformer.LayerNormRows(x, g, b), x, dy), ClosedForms.LayerNormRowsInput(x, g, dy).Data);
    }

    static Case DenseRowsVjp(int n, int d, int m)
    {
        var (x, w, b, dy) = (V("X", n, d), V("W", d, m), V("b", m), V("dY", n, m));
        var y = Reference.Transformer.DenseRows(x, w, b);
        var db = SymTensor.Build([m], j => Add(Range(n).Select(r => dy[r, j[0]])));
        return new Case($"X {n}×{d}, W {d}×{m}", Concat(Vjp(y, x, dy), Vjp(y, w, dy), Vjp(y, b, dy)),
            Concat(ClosedForms.MatMulLeftInput(w, dy).Data, ClosedForms.MatMulRightInput(x, dy).Data, db.Data));
    }

    static Case GeluRowsVjp(int n, int d, GeluForm form)
    {
        var (x, dy) = (V("X", n, d), V("dY", n, d));
        string size = form == GeluForm.Tanh ? $"X {n}×{d}, GELU tanh" : $"X {n}×{d}";
        return new Case(size, Vjp(Reference.Transformer.GeluRows(x, form), x, dy), ClosedForms.GeluInput(x, dy, form).Data);
    }

    /// <summary>The instance of a transformer composite with the runtime's tanh GELU in its MLPs.</summary>
    static Instance WithTanhGelu(string size, int n, int d, int hidden, int heads, int depth, Piece piece) =>
        At($"{size}, GELU tanh", () => Transformer($"{size}, GELU tanh", n, d, hidden, heads, depth, piece, GeluForm.Tanh));

    enum Piece { Mlp, Attention, MlpSublayer, Block, Tower, VitBody }

    /// <summary>Derived VJP of the composite forward versus the backward composed from the book's formulas.</summary>
    static Case Transformer(string size, int n, int d, int hidden, int heads, int depth, Piece piece, GeluForm gelu = GeluForm.Erf)
    {
        var x = V("X", n, d);
        var dy = V("dY", n, d);
        var blocks = Range(depth).Select(b => BlockParams.Vars(depth == 1 ? "" : $"b{b}.", d, hidden, gelu)).ToList();
        var p = blocks[0];
        var (lnG, lnB) = (V("lnf.g", d), V("lnf.b", d));
        var (y, closed) = piece switch
        {
            Piece.Mlp => (Reference.Transformer.Mlp(x, p), ClosedForms.MlpInput(x, p, dy)),
            Piece.Attention => (Reference.Transformer.AttentionSublayer(x, p, heads), ClosedForms.AttentionSublayerInput(x, p, heads, dy)),
            Piece.MlpSublayer => (Reference.Transformer.MlpSublayer(x, p), ClosedForms.MlpSublayerInput(x, p, dy)),
            Piece.Block => (Reference.Transformer.Block(x, p, heads), ClosedForms.BlockInput(x, p, heads, dy)),
            Piece.Tower => (Reference.Transformer.Tower(x, blocks, heads), ClosedForms.TowerInput(x, blocks, heads, dy)),
            _ => (Reference.Transformer.VitBody(x, blocks, lnG, lnB, heads), ClosedForms.VitBodyInput(x, blocks, lnG, heads, dy)),
        };
        return new Case(size, Vjp(y, x, dy), closed.Data);
    }
}
