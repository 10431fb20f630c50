using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Reference.Forward;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Derivations;

// Chapters 3–9: dense, softmax CE, conv, BN, residual, depthwise, SE, GELU, LayerNorm.
public static partial class DerivationCatalog
{
    static readonly Rational BnEps = new(1, 100000);

    static IEnumerable<Derivation> Layers()
    {
        yield return Entry(ItemId.pdiv_dense, "∂(xW + b)_j/∂x_i = W[i,j]",
            At("x∈R^3, W 3×2", () => DenseJacobian(3, 2)), At("x∈R^2, W 2×4", () => DenseJacobian(2, 4)));
        yield return Entry(ItemId.pdiv_dense_W, "∂(xW + b)_j/∂W[i,k] = x_i·δ_jk",
            At("x∈R^3, W 3×2", () => DenseWeightJacobian(3, 2)), At("x∈R^2, W 2×4", () => DenseWeightJacobian(2, 4)));
        yield return Entry(ItemId.softmaxCE_grad, "∂L/∂z = softmax(z) − q, q = (1−ε)e_ℓ + ε/C  (ε = 0: one-hot label)",
            At("C=3, ℓ=0", () => SoftmaxCe(3, 0, Rational.Zero)), At("C=4, ℓ=2", () => SoftmaxCe(4, 2, Rational.Zero)),
            At("C=4, ℓ=1, ε=1/10", () => SoftmaxCe(4, 1, new Rational(1, 10))));
        yield return Entry(ItemId.dense_has_vjp, "dx = W·dy, dW = x ⊗ dy, db = dy",
            At("x∈R^3, W 3×2", () => DenseVjp(3, 2)), At("x∈R^2, W 2×4", () => DenseVjp(2, 4)));
        yield return Entry(ItemId.dense_weight_grad_correct, "dW[i,j] = x_i·dy_j  (dW = x ⊗ dy)",
            At("x∈R^3, W 3×2", () => DenseWeightVjp(3, 2)), At("x∈R^2, W 2×4", () => DenseWeightVjp(2, 4)));
        yield return Entry(ItemId.dense_bias_grad_correct, "db = dy",
            At("x∈R^3, W 3×2", () => DenseBiasVjp(3, 2)), At("x∈R^2, W 2×4", () => DenseBiasVjp(2, 4)));
        yield return Entry(ItemId.conv2d_weight_grad_has_vjp, "dW[o,c,kh,kw] = Σ_{i,j} x[c, s·i+kh−p, s·j+kw−p]·dy[o,i,j]  (zero outside; p the SAME low-side padding)",
            At("x 1×3×3, W 2×1×3×3, s=1", () => ConvWeight(1, 2, 3, 3, 1)), At("x 2×4×3, W 1×2×3×3, s=2", () => ConvWeight(2, 1, 4, 3, 2)));
        yield return Entry(ItemId.conv2d_bias_grad_has_vjp, "db[o] = Σ_{i,j} dy[o,i,j]",
            At("x 1×3×3, W 2×1×3×3, s=1", () => ConvBias(1, 2, 3, 3, 1)), At("x 2×4×3, W 1×2×3×3, s=2", () => ConvBias(2, 1, 4, 3, 2)));
        yield return Entry(ItemId.pdiv_bnAffine, "∂(γv + β)_j/∂v_i = γ·δ_ij",
            At("n=3", () => BnAffineJacobian(3)), At("n=5", () => BnAffineJacobian(5)));
        yield return Entry(ItemId.pdiv_bnCentered, "∂(x − μ)_j/∂x_i = δ_ij − 1/n",
            At("n=3", () => BnCenteredJacobian(3)), At("n=5", () => BnCenteredJacobian(5)));
        yield return Entry(ItemId.pdiv_bnIstdBroadcast, "∂s_j/∂x_i = −s³·(x_i − μ)/n, s = (σ² + ε)^(−1/2)",
            At("n=3", () => IstdJacobian(3, false)), At("n=4", () => IstdJacobian(4, false)));
        yield return Entry(ItemId.bnIstdBroadcast_diff, "s·1 is smooth (ε > 0): its Jacobian has no non-smooth node and equals −s³(x_i − μ)/n",
            At("n=3", () => IstdJacobian(3, true)), At("n=4", () => IstdJacobian(4, true)));
        yield return Entry(ItemId.bnNormalize_has_vjp, "dx_i = (s/n)·(n·g_i − Σ_j g_j − x̂_i·Σ_j x̂_j g_j)",
            At("n=3", () => BnNormalizeVjp(3)), At("n=5", () => BnNormalizeVjp(5)));
        yield return Entry(ItemId.bnAffine_has_vjp, "dv = γ·dy, dγ = Σ_i v_i·dy_i, dβ = Σ_i dy_i",
            At("n=3", () => BnAffineVjp(3)), At("n=4", () => BnAffineVjp(4)));
        yield return Entry(ItemId.bn_has_vjp, "dx_i = (γ·s/n)·(n·dy_i − Σ_j dy_j − x̂_i·Σ_j x̂_j dy_j)",
            At("n=3", () => BnVjp(3)), At("n=4", () => BnVjp(4)));
        yield return Entry(ItemId.residual_has_vjp, "(x + f(x))ᵀ dy = dy + fᵀ dy  (f = tanh∘dense)",
            At("n=2", () => ResidualVjp(2)), At("n=3", () => ResidualVjp(3)));
        yield return Entry(ItemId.depthwise_weight_grad_has_vjp3, "dW[c,kh,kw] = Σ_{i,j} x[c, i+kh−p, j+kw−p]·dy[c,i,j]",
            At("x 1×3×3, k=3", () => DepthwiseWeight(1, 3, 3)), At("x 2×3×4, k=3", () => DepthwiseWeight(2, 3, 4)));
        yield return Entry(ItemId.depthwise_bias_grad_has_vjp, "db[c] = Σ_{i,j} dy[c,i,j]",
            At("x 1×3×3, k=3", () => DepthwiseBias(1, 3, 3)), At("x 2×3×4, k=3", () => DepthwiseBias(2, 3, 4)));
        yield return Entry(ItemId.seBlock_has_vjp, "dx = dy ⊙ gate + poolᵀ(dense₁ᵀ(ReLU'·dense₂ᵀ(σ'·Σ_{hw} dy⊙x)))  (Thms 12, 33, 63-style chain)",
            At("x 2×2×2, r=1", () => SeVjp(2, 2, 2, 1)), At("x 3×1×2, r=2", () => SeVjp(3, 1, 2, 2)));
        yield return Entry(ItemId.pdiv_gelu, "∂gelu(x)_j/∂x_i = δ_ij·(Φ(x_i) + x_i·φ(x_i))",
            At("n=2", () => GeluJacobian(2)), At("n=4", () => GeluJacobian(4)));
        yield return Entry(ItemId.layerNorm_has_vjp, "dx = BN-normalize VJP of g = γ ⊙ dy: (s/n)(n·g − Σg − x̂·Σ x̂g)",
            At("D=3", () => LayerNormVjp(3)), At("D=4", () => LayerNormVjp(4)));
        yield return Entry(ItemId.gelu_has_vjp, "dx_i = dy_i·(Φ(x_i) + x_i·φ(x_i))",
            At("n=2", () => GeluVjp(2)), At("n=4", () => GeluVjp(4)));
    }

    static Case DenseJacobian(int n, int m)
    {
        var (x, w, b) = (V("x", n), V("W", n, m), V("b", m));
        return new Case($"x∈R^{n}, W {n}×{m}", Jac(Dense(x, w, b), x), JacForm(n, m, (i, j) => w[i, j]));
    }

    static Case DenseWeightJacobian(int n, int m)
    {
        var (x, w, b) = (V("x", n), V("W", n, m), V("b", m));
        // rows of the Jacobian run over W[i,k] (flat i·m + k)
        return new Case($"x∈R^{n}, W {n}×{m}", Jac(Dense(x, w, b), w), JacForm(n * m, m, (ik, j) => x[ik / m] * Delta(ik % m, j)));
    }

    static Case SoftmaxCe(int c, int label, Rational eps)
    {
        var z = V("z", c);
        var loss = new SymTensor([1], [SoftmaxCrossEntropy(z, label, eps)]);
        var p = Softmax(z);
        string size = eps.IsZero ? $"C={c}, ℓ={label}" : $"C={c}, ℓ={label}, ε={eps}";
        return new Case(size, Jac(loss, z), [.. Range(c).Select(i => p[i] - Num(Target(i, label, eps, c)))]);
    }

    static (SymTensor x, SymTensor w, SymTensor b, SymTensor dy, SymTensor y) DenseSetup(int n, int m)
    {
        var (x, w, b, dy) = (V("x", n), V("W", n, m), V("b", m), V("dy", m));
        return (x, w, b, dy, Dense(x, w, b));
    }

    static Case DenseVjp(int n, int m)
    {
        var (x, w, b, dy, y) = DenseSetup(n, m);
        return new Case($"x∈R^{n}, W {n}×{m}", Concat(Vjp(y, x, dy), Vjp(y, w, dy), Vjp(y, b, dy)),
            Concat(ClosedForms.DenseInput(w, dy).Data, ClosedForms.DenseWeight(x, dy).Data, dy.Data));
    }

    static Case DenseWeightVjp(int n, int m)
    {
        var (x, w, _, dy, y) = DenseSetup(n, m);
        return new Case($"x∈R^{n}, W {n}×{m}", Vjp(y, w, dy), ClosedForms.DenseWeight(x, dy).Data);
    }

    static Case DenseBiasVjp(int n, int m)
    {
        var (_, _, b, dy, y) = DenseSetup(n, m);
        return new Case($"x∈R^{n}, W {n}×{m}", Vjp(y, b, dy), dy.Data);
    }

    static (SymTensor x, SymTensor w, SymTensor b, SymTensor y, SymTensor dy) ConvSetup(int c, int o, int h, int wd, int stride)
    {
        var (x, w, b) = (V("x", c, h, wd), V("W", o, c, 3, 3), V("b", o));
        var y = Conv2d(x, w, b, stride);
        return (x, w, b, y, V("dy", y.Shape));
    }

    static Case ConvWeight(int c, int o, int h, int wd, int s)
    {
        var (x, w, _, y, dy) = ConvSetup(c, o, h, wd, s);
        var (ph, pw) = (SamePadLow(h, s, 3), SamePadLow(wd, s, 3));
        var closed = SymTensor.Build(w.Shape, ix => Add(
            from i in Range(y.Shape[1])
            from j in Range(y.Shape[2])
            select x.At(ix[1], s * i + ix[2] - ph, s * j + ix[3] - pw) * dy[ix[0], i, j]));
        return new Case($"x {Dims(x.Shape)}, W {Dims(w.Shape)}, s={s}", Vjp(y, w, dy), closed.Data);
    }

    static Case ConvBias(int c, int o, int h, int wd, int s)
    {
        var (x, w, b, y, dy) = ConvSetup(c, o, h, wd, s);
        int hw = y.Shape[1] * y.Shape[2];
        return new Case($"x {Dims(x.Shape)}, W {Dims(w.Shape)}, s={s}", Vjp(y, b, dy),
            [.. Range(o).Select(k => Add(dy.Data.Skip(k * hw).Take(hw)))]);
    }

    static Case BnAffineJacobian(int n)
    {
        var (v, g, b) = (V("v", n), Var.Scalar("γ"), Var.Scalar("β"));
        return new Case($"n={n}", Jac(BnAffine(v, g, b), v), JacForm(n, n, (i, j) => g * Delta(i, j)));
    }

    static Case BnCenteredJacobian(int n)
    {
        var x = V("x", n);
        return new Case($"n={n}", Jac(BnCentered(x), x), JacForm(n, n, (i, j) => Delta(i, j) - Num(new Rational(1, n))));
    }

    static Case IstdJacobian(int n, bool requireSmooth)
    {
        var x = V("x", n);
        var s = InverseStd(x, BnEps);
        var mu = Mean(x);
        return new Case($"n={n}", Jac(BnIstdBroadcast(x, BnEps), x), JacForm(n, n, (i, _) => -Pow(s, 3) * (x[i] - mu) / n), requireSmooth);
    }

    static Case BnNormalizeVjp(int n)
    {
        var (x, g) = (V("x", n), V("dy", n));
        return new Case($"n={n}", Vjp(BnNormalize(x, BnEps), x, g), ClosedForms.BnNormalizeInput(x, g, BnEps).Data);
    }

    static Case BnAffineVjp(int n)
    {
        var (v, g, b, dy) = (V("v", n), Var.Scalar("γ"), Var.Scalar("β"), V("dy", n));
        var y = BnAffine(v, g, b);
        var gv = new SymTensor([1], [g]);
        var bv = new SymTensor([1], [b]);
        return new Case($"n={n}", Concat(Vjp(y, v, dy), Vjp(y, gv, dy), Vjp(y, bv, dy)),
            Concat(dy.Data.Select(d => g * d), [Add(Range(n).Select(i => v[i] * dy[i]))], [Add(dy.Data)]));
    }

    static Case BnVjp(int n)
    {
        var (x, g, b, dy) = (V("x", n), Var.Scalar("γ"), Var.Scalar("β"), V("dy", n));
        return new Case($"n={n}", Vjp(BatchNorm(x, g, b, BnEps), x, dy),
            ClosedForms.BnNormalizeInput(x, dy.Map(d => g * d), BnEps).Data);
    }

    static Case ResidualVjp(int n)
    {
        var (x, dy) = (V("x", n), V("dy", n));
        var f = TanhOf(Affine(x, n));
        var y = Elementwise(x, f, (a, b) => a + b);
        return new Case($"n={n}", Vjp(y, x, dy), [.. dy.Data.Zip(Vjp(f, x, dy), (a, b) => a + b)]);
    }

    static (SymTensor x, SymTensor w, SymTensor b, SymTensor y, SymTensor dy) DepthwiseSetup(int c, int h, int wd)
    {
        var (x, w, b) = (V("x", c, h, wd), V("W", c, 3, 3), V("b", c));
        var y = Depthwise(x, w, b);
        return (x, w, b, y, V("dy", y.Shape));
    }

    static Case DepthwiseWeight(int c, int h, int wd)
    {
        var (x, w, _, y, dy) = DepthwiseSetup(c, h, wd);
        var closed = SymTensor.Build(w.Shape, ix => Add(
            from i in Range(h)
            from j in Range(wd)
            select x.At(ix[0], i + ix[1] - 1, j + ix[2] - 1) * dy[ix[0], i, j]));
        return new Case($"x {Dims(x.Shape)}, k=3", Vjp(y, w, dy), closed.Data);
    }

    static Case DepthwiseBias(int c, int h, int wd)
    {
        var (x, _, b, y, dy) = DepthwiseSetup(c, h, wd);
        return new Case($"x {Dims(x.Shape)}, k=3", Vjp(y, b, dy), [.. Range(c).Select(k => Add(dy.Data.Skip(k * h * wd).Take(h * wd)))]);
    }

    static Case SeVjp(int c, int h, int wd, int r)
    {
        var (x, w1, b1, w2, b2) = (V("x", c, h, wd), V("W1", c, r), V("b1", r), V("W2", r, c), V("b2", c));
        var dy = V("dy", c, h, wd);
        int hw = h * wd;
        var pooled = GlobalAveragePool(x);
        var pre1 = Dense(pooled, w1, b1);
        var pre2 = Dense(Relu(pre1), w2, b2);
        var gate = pre2.Map(Sigmoid);
        // Product rule (Thm 12): main path gets dy ⊙ gate; the gate path gets Σ_hw dy ⊙ x per channel.
        var dGate = SymTensor.Build([c], k => Add(Range(hw).Select(t => dy.Data[k[0] * hw + t] * x.Data[k[0] * hw + t])));
        var dPre2 = SymTensor.Build([c], k => dGate[k[0]] * gate[k[0]] * (One - gate[k[0]]));
        var dRelu = ClosedForms.DenseInput(w2, dPre2);
        var dPre1 = SymTensor.Build([r], k => Step(pre1[k[0]]) * dRelu[k[0]]);
        var dPooled = ClosedForms.DenseInput(w1, dPre1);
        var closed = Range(c * hw).Select(f => dy.Data[f] * gate[f / hw] + dPooled[f / hw] / hw);
        return new Case($"x {Dims(x.Shape)}, r={r}", Vjp(SeBlock(x, w1, b1, w2, b2), x, dy), [.. closed]);
    }

    static Case GeluJacobian(int n)
    {
        var x = V("x", n);
        return new Case($"n={n}", Jac(x.Map(Gelu), x), JacForm(n, n, (i, j) => i == j ? ClosedForms.GeluDerivative(x[i]) : Zero));
    }

    static Case LayerNormVjp(int d)
    {
        var (x, g, b, dy) = (V("x", d), V("γ", d), V("β", d), V("dy", d));
        return new Case($"D={d}", Vjp(LayerNorm(x, g, b, BnEps), x, dy), ClosedForms.LayerNormInput(x, g, dy, BnEps).Data);
    }

    static Case GeluVjp(int n)
    {
        var (x, dy) = (V("x", n), V("dy", n));
        return new Case($"n={n}", Vjp(x.Map(Gelu), x, dy), ClosedForms.GeluInput(x, dy).Data);
    }
}
