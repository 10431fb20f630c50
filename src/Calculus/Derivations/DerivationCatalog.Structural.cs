using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

// Chapter 2 structural rules on concrete instances: the rule's right-hand side is computed from the pieces'
// derivatives, the left-hand side by differentiating the whole.
public static partial class DerivationCatalog
{
    static SymTensor Affine(SymTensor x, int m, string tag = "") => Dense(x, V($"W{tag}", x.Length, m), V($"b{tag}", m));
    static SymTensor TanhOf(SymTensor x) => x.Map(Tanh);
    static SymTensor Elementwise(SymTensor a, SymTensor b, Func<Expr, Expr, Expr> op) => new(a.Shape, [.. a.Data.Zip(b.Data, op)]);

    static Case Fanin(string size, SymTensor x, Func<SymTensor, SymTensor> f, Func<SymTensor, SymTensor> g, bool vjp)
    {
        var (fx, gx) = (f(x), g(x));
        var sum = Elementwise(fx, gx, (a, b) => a + b);
        if (!vjp) return new Case(size, Jac(sum, x), [.. Jac(fx, x).Zip(Jac(gx, x), (a, b) => a + b)]);
        var dy = V("dy", sum.Shape);
        return new Case(size, Vjp(sum, x, dy), [.. Vjp(fx, x, dy).Zip(Vjp(gx, x, dy), (a, b) => a + b)]);
    }

    static Case ProductRule(string size, SymTensor x, Func<SymTensor, SymTensor> f, Func<SymTensor, SymTensor> g, bool vjp)
    {
        var (fx, gx) = (f(x), g(x));
        var prod = Elementwise(fx, gx, (a, b) => a * b);
        if (!vjp)
        {
            var (jf, jg) = (Jac(fx, x), Jac(gx, x));
            int m = fx.Length;
            return new Case(size, Jac(prod, x), JacForm(x.Length, m, (i, j) => jf[i * m + j] * gx[j] + fx[j] * jg[i * m + j]));
        }
        var dy = V("dy", prod.Shape);
        return new Case(size, Vjp(prod, x, dy),
            [.. Vjp(fx, x, Elementwise(dy, gx, (a, b) => a * b)).Zip(Vjp(gx, x, Elementwise(dy, fx, (a, b) => a * b)), (a, b) => a + b)]);
    }

    static Case Identity(string size, SymTensor x, bool vjp)
    {
        if (!vjp) return new Case(size, Jac(x, x), JacForm(x.Length, x.Length, Delta));
        var dy = V("dy", x.Shape);
        return new Case(size, Vjp(x, x, dy), dy.Data);
    }

    /// <summary>Matrix Jacobian in the flattened layout: entry (X[s,i], F[r,j]).</summary>
    static Case MatrixJacobian(string size, SymTensor x, SymTensor f, Func<int, int, int, int, Expr> entry)
    {
        var (xc, fc) = (x.Shape[1], f.Shape[1]);
        return new Case(size, Jac(f, x), JacForm(x.Length, f.Length, (a, b) => entry(a / xc, a % xc, b / fc, b % fc)));
    }

    static Case RowwiseSoftmaxJacobian(string size, SymTensor x)
    {
        int c = x.Shape[1];
        var u = V("u", c);
        var ju = Jac(Softmax(u), u);
        return MatrixJacobian(size, x, RowSoftmax(x), (s, i, r, j) => r != s ? Zero : ju[i * c + j].Substitute(Map(u, x.Row(r))));
    }

    static IEnumerable<Derivation> Structural()
    {
        yield return Entry(ItemId.pdiv_comp, "∂(f∘g)_j/∂x_i = Σ_k ∂g_k/∂x_i · ∂f_j/∂u_k |_{u=g(x)}  (f = softmax, g = dense)",
            At("x∈R^3 → R^2", () => Chain("x∈R^3 → R^2", V("x", 3), x => Affine(x, 2), Softmax)),
            At("x∈R^2 → R^4", () => Chain("x∈R^2 → R^4", V("x", 2), x => Affine(x, 4), Softmax)));
        yield return Entry(ItemId.pdiv_add, "J(f + g) = J(f) + J(g)  (f = softmax, g = dense)",
            At("n=2", () => Fanin("n=2", V("x", 2), Softmax, x => Affine(x, 2), vjp: false)),
            At("n=3", () => Fanin("n=3", V("x", 3), Softmax, x => Affine(x, 3), vjp: false)));
        yield return Entry(ItemId.pdiv_mul, "∂(f⊙g)_j/∂x_i = ∂f_j/∂x_i · g_j + f_j · ∂g_j/∂x_i  (f = softmax, g = tanh∘dense)",
            At("n=2", () => ProductRule("n=2", V("x", 2), Softmax, x => TanhOf(Affine(x, 2)), vjp: false)),
            At("n=3", () => ProductRule("n=3", V("x", 3), Softmax, x => TanhOf(Affine(x, 3)), vjp: false)));
        yield return Entry(ItemId.pdiv_id, "∂x_j/∂x_i = δ_ij",
            At("n=2", () => Identity("n=2", V("x", 2), vjp: false)), At("n=5", () => Identity("n=5", V("x", 5), vjp: false)));
        yield return Entry(ItemId.pdiv_const, "∂c_j/∂x_i = 0",
            At("x∈R^3, c∈R^2", () => new Case("x∈R^3, c∈R^2", Jac(V("c", 2), V("x", 3)), JacForm(3, 2, (_, _) => Zero))),
            At("x∈R^2, c∈R^4", () => new Case("x∈R^2, c∈R^4", Jac(V("c", 4), V("x", 2)), JacForm(2, 4, (_, _) => Zero))));
        yield return Entry(ItemId.pdiv_reindex, "f_j = x_σ(j): ∂f_j/∂x_i = δ_{i,σ(j)}  (σ(j) = (2j+1) mod n, not injective)",
            At("n=3 → m=4", () => Reindex(3, 4)), At("n=4 → m=3", () => Reindex(4, 3)));
        yield return Entry(ItemId.pdivMat_rowIndep, "F(X)_r = f(X_r): ∂F[r,j]/∂X[s,i] = δ_rs · ∂f_j/∂x_i(X_r)  (f = softmax)",
            At("X 2×3", () => RowwiseSoftmaxJacobian("X 2×3", V("X", 2, 3))), At("X 3×2", () => RowwiseSoftmaxJacobian("X 3×2", V("X", 3, 2))));
        yield return Entry(ItemId.pdiv_finset_sum, "J(Σ_k f_k) = Σ_k J(f_k)  (f_k = tanh∘dense_k, k < 3)",
            At("n=2 → 3", () => FiniteSum("n=2 → 3", V("x", 2), 3)), At("n=3 → 2", () => FiniteSum("n=3 → 2", V("x", 3), 2)));
        yield return Entry(ItemId.vjp_comp, "(f∘g)ᵀ dy = gᵀ(fᵀ dy at g(x))  (f = softmax, g = dense)",
            At("x∈R^3 → R^2", () => VjpChain("x∈R^3 → R^2", V("x", 3), x => Affine(x, 2), Softmax)),
            At("x∈R^2 → R^4", () => VjpChain("x∈R^2 → R^4", V("x", 2), x => Affine(x, 4), Softmax)));
        yield return Entry(ItemId.biPath_has_vjp, "(f + g)ᵀ dy = fᵀ dy + gᵀ dy",
            At("n=2", () => Fanin("n=2", V("x", 2), Softmax, x => Affine(x, 2), vjp: true)),
            At("n=3", () => Fanin("n=3", V("x", 3), Softmax, x => Affine(x, 3), vjp: true)));
        yield return Entry(ItemId.elemwiseProduct_has_vjp, "(f⊙g)ᵀ dy = fᵀ(dy⊙g) + gᵀ(dy⊙f)",
            At("n=2", () => ProductRule("n=2", V("x", 2), Softmax, x => TanhOf(Affine(x, 2)), vjp: true)),
            At("n=3", () => ProductRule("n=3", V("x", 3), Softmax, x => TanhOf(Affine(x, 3)), vjp: true)));
        yield return Entry(ItemId.identity_has_vjp, "dx = dy",
            At("n=2", () => Identity("n=2", V("x", 2), vjp: true)), At("n=4", () => Identity("n=4", V("x", 4), vjp: true)));
        yield return Entry(ItemId.vjpMat_comp, "matrix chain: (F∘G)ᵀ dY = Gᵀ(Fᵀ dY at G(X))  (F = row softmax, G = X·B)",
            At("X 2×3, B 3×2", () => VjpChain("X 2×3, B 3×2", V("X", 2, 3), x => MatMul(x, V("B", 3, 2)), RowSoftmax)),
            At("X 3×2, B 2×3", () => VjpChain("X 3×2, B 2×3", V("X", 3, 2), x => MatMul(x, V("B", 2, 3)), RowSoftmax)));
        yield return Entry(ItemId.biPathMat_has_vjp, "matrix fan-in: (F + G)ᵀ dY = Fᵀ dY + Gᵀ dY  (F = row softmax, G = X·B)",
            At("X 2×3", () => Fanin("X 2×3", V("X", 2, 3), RowSoftmax, x => MatMul(x, V("B", 3, 3)), vjp: true)),
            At("X 3×2", () => Fanin("X 3×2", V("X", 3, 2), RowSoftmax, x => MatMul(x, V("B", 2, 2)), vjp: true)));
        yield return Entry(ItemId.identityMat_has_vjp, "dX = dY",
            At("X 2×3", () => Identity("X 2×3", V("X", 2, 3), vjp: true)), At("X 3×2", () => Identity("X 3×2", V("X", 3, 2), vjp: true)));
        yield return Entry(ItemId.pdivMat_scalarScale, "∂(cX)[r,j]/∂X[s,i] = c·δ_rs·δ_ij",
            At("X 2×3", () => ScaleJacobian(2, 3)), At("X 3×2", () => ScaleJacobian(3, 2)));
        yield return Entry(ItemId.pdivMat_transpose, "∂(Xᵀ)[j,r]/∂X[s,i] = δ_rs·δ_ij",
            At("X 2×3", () => TransposeJacobian(2, 3)), At("X 3×2", () => TransposeJacobian(3, 2)));
        yield return Entry(ItemId.pdivMat_matmul_left_const, "∂(A·X)[r,j]/∂X[s,i] = A[r,s]·δ_ij",
            At("A 2×3, X 3×2", () => LeftConstJacobian(2, 3, 2)), At("A 3×2, X 2×4", () => LeftConstJacobian(3, 2, 4)));
        yield return Entry(ItemId.pdivMat_matmul_right_const, "∂(X·B)[r,j]/∂X[s,i] = δ_rs·B[i,j]",
            At("X 2×3, B 3×2", () => RightConstJacobian(2, 3, 2)), At("X 3×2, B 2×4", () => RightConstJacobian(3, 2, 4)));
        yield return Entry(ItemId.matmul_left_const_has_vjp, "dX = Aᵀ·dY",
            At("A 2×3, X 3×2", () => LeftConstVjp(2, 3, 2)), At("A 3×2, X 2×4", () => LeftConstVjp(3, 2, 4)));
        yield return Entry(ItemId.matmul_right_const_has_vjp, "dX = dY·Bᵀ",
            At("X 2×3, B 3×2", () => RightConstVjp(2, 3, 2)), At("X 3×2, B 2×4", () => RightConstVjp(3, 2, 4)));
        yield return Entry(ItemId.scalarScale_has_vjp, "dX = c·dY",
            At("X 2×3", () => ScaleVjp(2, 3)), At("X 3×2", () => ScaleVjp(3, 2)));
        yield return Entry(ItemId.transpose_has_vjp, "dX = dYᵀ",
            At("X 2×3", () => TransposeVjp(2, 3)), At("X 3×2", () => TransposeVjp(3, 2)));
        yield return Entry(ItemId.rowwise_has_vjp_mat, "row-wise lift: dX_r = fᵀ(X_r) dY_r  (f = softmax, its VJP by the differentiator)",
            At("X 2×3", () => RowwiseLift("X 2×3", V("X", 2, 3))), At("X 3×2", () => RowwiseLift("X 3×2", V("X", 3, 2))));
        yield return Entry(ItemId.pdiv3_comp, "3-D chain rule: ∂(f∘g)/∂x = Σ_k ∂g_k/∂x · ∂f/∂u_k  (f = GELU, g = conv2d)",
            At("x 1×3×3 → 2×3×3", () => Chain("x 1×3×3 → 2×3×3", V("x", 1, 3, 3), x => Conv2d(x, V("W", 2, 1, 3, 3), V("b", 2)), u => u.Map(Gelu))),
            At("x 2×2×3 → 1×2×3", () => Chain("x 2×2×3 → 1×2×3", V("x", 2, 2, 3), x => Conv2d(x, V("W", 1, 2, 3, 3), V("b", 1)), u => u.Map(Gelu))));
        yield return Entry(ItemId.vjp3_comp, "3-D VJP chain: (f∘g)ᵀ dy = gᵀ(fᵀ dy at g(x))  (f = GELU, g = conv2d)",
            At("x 1×3×3 → 2×3×3", () => VjpChain("x 1×3×3 → 2×3×3", V("x", 1, 3, 3), x => Conv2d(x, V("W", 2, 1, 3, 3), V("b", 2)), u => u.Map(Gelu))),
            At("x 2×2×3 → 1×2×3", () => VjpChain("x 2×2×3 → 1×2×3", V("x", 2, 2, 3), x => Conv2d(x, V("W", 1, 2, 3, 3), V("b", 1)), u => u.Map(Gelu))));
        yield return Entry(ItemId.biPath3_has_vjp, "3-D fan-in: (f + g)ᵀ dy = fᵀ dy + gᵀ dy  (f = conv2d, g = depthwise conv)",
            At("x 1×3×3", () => Fanin("x 1×3×3", V("x", 1, 3, 3), x => Conv2d(x, V("W", 1, 1, 3, 3), V("b", 1)), x => Depthwise(x, V("K", 1, 3, 3), V("c", 1)), vjp: true)),
            At("x 2×2×3", () => Fanin("x 2×2×3", V("x", 2, 2, 3), x => Conv2d(x, V("W", 2, 2, 3, 3), V("b", 2)), x => Depthwise(x, V("K", 2, 3, 3), V("c", 2)), vjp: true)));
    }

    static Case Reindex(int n, int m)
    {
        var x = V("x", n);
        int Sigma(int j) => (2 * j + 1) % n;
        var f = SymTensor.Build([m], j => x[Sigma(j[0])]);
        return new Case($"n={n} → m={m}", Jac(f, x), JacForm(n, m, (i, j) => Delta(i, Sigma(j))));
    }

    static Case FiniteSum(string size, SymTensor x, int m)
    {
        var parts = Range(3).Select(k => TanhOf(Affine(x, m, k.ToString()))).ToList();
        var total = SymTensor.Build([m], j => Add(parts.Select(p => p[j[0]])));
        return new Case(size, Jac(total, x), [.. Range(x.Length * m).Select(e => Add(parts.Select(p => Jac(p, x)[e])))]);
    }

    static Case ScaleJacobian(int r, int c)
    {
        var (x, s) = (V("X", r, c), Var.Scalar("c"));
        return MatrixJacobian($"X {r}×{c}", x, x.Map(e => s * e), (s1, i, r1, j) => r1 == s1 && i == j ? s : Zero);
    }

    static Case TransposeJacobian(int r, int c)
    {
        var x = V("X", r, c);
        // F = Xᵀ has F[j,r] = X[r,j]: row index of F is a column of X.
        return MatrixJacobian($"X {r}×{c}", x, Transpose(x), (s, i, j, rr) => Delta(s, rr) * Delta(i, j));
    }

    static Case LeftConstJacobian(int m, int n, int p)
    {
        var (a, x) = (V("A", m, n), V("X", n, p));
        return MatrixJacobian($"A {m}×{n}, X {n}×{p}", x, MatMul(a, x), (s, i, r, j) => i == j ? a[r, s] : Zero);
    }

    static Case RightConstJacobian(int m, int n, int p)
    {
        var (x, b) = (V("X", m, n), V("B", n, p));
        return MatrixJacobian($"X {m}×{n}, B {n}×{p}", x, MatMul(x, b), (s, i, r, j) => r == s ? b[i, j] : Zero);
    }

    static Case LeftConstVjp(int m, int n, int p)
    {
        var (a, x, dy) = (V("A", m, n), V("X", n, p), V("dY", m, p));
        return new Case($"A {m}×{n}, X {n}×{p}", Vjp(MatMul(a, x), x, dy), ClosedForms.MatMulRightInput(a, dy).Data);
    }

    static Case RightConstVjp(int m, int n, int p)
    {
        var (x, b, dy) = (V("X", m, n), V("B", n, p), V("dY", m, p));
        return new Case($"X {m}×{n}, B {n}×{p}", Vjp(MatMul(x, b), x, dy), ClosedForms.MatMulLeftInput(b, dy).Data);
    }

    static Case ScaleVjp(int r, int c)
    {
        var (x, s, dy) = (V("X", r, c), Var.Scalar("c"), V("dY", r, c));
        return new Case($"X {r}×{c}", Vjp(x.Map(e => s * e), x, dy), [.. dy.Data.Select(e => s * e)]);
    }

    static Case TransposeVjp(int r, int c)
    {
        var (x, dy) = (V("X", r, c), V("dY", c, r));
        return new Case($"X {r}×{c}", Vjp(Transpose(x), x, dy), Transpose(dy).Data);
    }

    static Case RowwiseLift(string size, SymTensor x)
    {
        var dy = V("dY", x.Shape);
        var u = V("u", x.Shape[1]);
        var closed = ClosedForms.Rowwise(x, dy, (row, g) =>
            new SymTensor(row.Shape, [.. Vjp(Softmax(u), u, g).Select(e => e.Substitute(Map(u, row)))]));
        return new Case(size, Vjp(RowSoftmax(x), x, dy), closed.Data);
    }
}
