using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.Calculus.Reference;

/// <summary>The two GELU functions (convention gelu-forms): Definition 57's erf form and the runtime's tanh form.</summary>
public enum GeluForm { Erf, Tanh }

/// <summary>
/// Index-level definitions of the book's forwards over symbolic scalars, at small concrete sizes. These are the
/// math the derivations differentiate; they are not what training runs. Layouts: vectors [n], matrices [rows, cols]
/// (tokens are rows), images [C, H, W], conv weights [O, C, k, k].
/// </summary>
public static class Forward
{
    /// <summary>Dense (Chapter 3): y_j = Σ_i x_i W[i,j] + b_j, x a row vector.</summary>
    public static SymTensor Dense(SymTensor x, SymTensor w, SymTensor b) =>
        SymTensor.Build([w.Shape[1]], j => Add(Enumerable.Range(0, x.Length).Select(i => x[i] * w[i, j[0]]).Append(b[j[0]])));

    public static SymTensor Relu(SymTensor x) => x.Map(Expr.Relu);

    public static Expr Total(IEnumerable<Expr> terms) => Add(terms);
    public static Expr Mean(SymTensor x) => Add(x.Data) / x.Length;

    /// <summary>p_i = exp(z_i) / Σ_k exp(z_k). (The max-subtracted form used in code is the same function.)</summary>
    public static SymTensor Softmax(SymTensor z)
    {
        var total = Add(z.Data.Select(Exp));
        return z.Map(zi => Exp(zi) / total);
    }

    /// <summary>−Σ_i q_i log softmax(z)_i with q = (1 − ε)·e_label + ε/C (ε = 0: plain cross-entropy).</summary>
    public static Expr SoftmaxCrossEntropy(SymTensor z, int label, Rational smoothing)
    {
        var p = Softmax(z);
        int c = z.Length;
        return -Add(Enumerable.Range(0, c).Select(i => Num(Target(i, label, smoothing, c)) * Log(p[i])));
    }

    public static Rational Target(int i, int label, Rational smoothing, int classes) =>
        (i == label ? Rational.One - smoothing : Rational.Zero) + smoothing / classes;

    /// <summary>
    /// SAME padding on the low side: out = ⌈in/s⌉, total P = max(0, (out − 1)·s + k − in), low side ⌊P/2⌋ (the high
    /// side takes the rest). For stride 1 and odd k this is the book's p = (k − 1)/2.
    /// </summary>
    public static int SamePadLow(int size, int stride, int k)
    {
        int o = (size + stride - 1) / stride;
        return Math.Max(0, (o - 1) * stride + k - size) / 2;
    }

    /// <summary>
    /// Conv2d (Definition 38), cross-correlation with bias, SAME zero padding, stride s:
    /// y[o,i,j] = b[o] + Σ_{c,kh,kw} W[o,c,kh,kw]·x[c, s·i+kh−p_h, s·j+kw−p_w], output ⌈H/s⌉ × ⌈W/s⌉, p from <see
    /// cref="SamePadLow"/>.
    /// </summary>
    public static SymTensor Conv2d(SymTensor x, SymTensor w, SymTensor b, int stride = 1)
    {
        int c = x.Shape[0], k = w.Shape[2];
        int ph = SamePadLow(x.Shape[1], stride, k), pw = SamePadLow(x.Shape[2], stride, k);
        int ho = (x.Shape[1] + stride - 1) / stride, wo = (x.Shape[2] + stride - 1) / stride;
        return SymTensor.Build([w.Shape[0], ho, wo], ix => Add((
            from ci in Enumerable.Range(0, c)
            from kh in Enumerable.Range(0, k)
            from kw in Enumerable.Range(0, k)
            select w[ix[0], ci, kh, kw] * x.At(ci, stride * ix[1] + kh - ph, stride * ix[2] + kw - pw)).Append(b[ix[0]])));
    }

    /// <summary>Depthwise conv (Definition 52): per-channel kernel W[c,kh,kw], no channel mixing, plus bias.</summary>
    public static SymTensor Depthwise(SymTensor x, SymTensor w, SymTensor b)
    {
        int k = w.Shape[1], p = (k - 1) / 2;
        return SymTensor.Build(x.Shape, ix => Add((
            from kh in Enumerable.Range(0, k)
            from kw in Enumerable.Range(0, k)
            select w[ix[0], kh, kw] * x.At(ix[0], ix[1] + kh - p, ix[2] + kw - p)).Append(b[ix[0]])));
    }

    /// <summary>MaxPool 2×2/2 (Definition 42); ties go to the first maximum in row-major window order.</summary>
    public static SymTensor MaxPool2(SymTensor x) =>
        SymTensor.Build([x.Shape[0], x.Shape[1] / 2, x.Shape[2] / 2], ix =>
        {
            int c = ix[0], i = 2 * ix[1], j = 2 * ix[2];
            return MaxOf(MaxOf(MaxOf(x[c, i, j], x[c, i, j + 1]), x[c, i + 1, j]), x[c, i + 1, j + 1]);
        });

    // BatchNorm pieces (Chapter 5), over the n entries of one feature (biased variance).
    public static SymTensor BnAffine(SymTensor v, Expr gamma, Expr beta) => v.Map(vi => gamma * vi + beta);
    public static SymTensor BnCentered(SymTensor x) { var mu = Mean(x); return x.Map(xi => xi - mu); }

    /// <summary>s = 1/√(σ² + ε) with σ² = (1/n)Σ(x−μ)².</summary>
    public static Expr InverseStd(SymTensor x, Rational eps)
    {
        var mu = Mean(x);
        return Pow(Add(x.Data.Select(xi => Pow(xi - mu, 2))) / x.Length + Num(eps), -Rational.Half);
    }

    public static SymTensor BnIstdBroadcast(SymTensor x, Rational eps) { var s = InverseStd(x, eps); return x.Map(_ => s); }
    public static SymTensor BnNormalize(SymTensor x, Rational eps)
    {
        var s = InverseStd(x, eps);
        var mu = Mean(x);
        return x.Map(xi => (xi - mu) * s);
    }
    public static SymTensor BatchNorm(SymTensor x, Expr gamma, Expr beta, Rational eps) => BnAffine(BnNormalize(x, eps), gamma, beta);

    /// <summary>LayerNorm of one token: γ_i·x̂_i + β_i (per-feature γ, β).</summary>
    public static SymTensor LayerNorm(SymTensor x, SymTensor gamma, SymTensor beta, Rational eps)
    {
        var xhat = BnNormalize(x, eps);
        return SymTensor.Build(x.Shape, i => gamma[i[0]] * xhat[i[0]] + beta[i[0]]);
    }

    /// <summary>GELU, erf form (Definition 57): ½·x·(1 + erf(x/√2)).</summary>
    public static Expr Gelu(Expr x) => Num(Rational.Half) * x * (One + Erf(x * Pow(2, -Rational.Half)));

    /// <summary>The tanh form's cubic coefficient, 0.044715, exactly.</summary>
    public static readonly Rational GeluCubic = new(44715, 1000000);

    /// <summary>√(2/π), the tanh form's scale.</summary>
    public static Expr GeluTanhScale => Pow(Num(2) / Pi, Rational.Half);

    /// <summary>GELU, tanh form (what the runtime trains; convention gelu-forms): ½·x·(1 + tanh(√(2/π)·(x +
    /// 0.044715·x³))).</summary>
    public static Expr GeluTanh(Expr x) => Num(Rational.Half) * x * (One + Tanh(GeluTanhScale * (x + Num(GeluCubic) * Pow(x, 3))));

    /// <summary>GELU of the given form.</summary>
    public static Expr Gelu(Expr x, GeluForm form) => form == GeluForm.Tanh ? GeluTanh(x) : Gelu(x);

    /// <summary>Global average pool over H, W: one value per channel.</summary>
    public static SymTensor GlobalAveragePool(SymTensor x)
    {
        int hw = x.Shape[1] * x.Shape[2];
        return SymTensor.Build([x.Shape[0]], c => Add(x.Data.Skip(c[0] * hw).Take(hw)) / hw);
    }

    /// <summary>SE block (Chapter 8): y[c,i,j] = x[c,i,j]·σ(dense₂(ReLU(dense₁(pool(x)))))[c].</summary>
    public static SymTensor SeBlock(SymTensor x, SymTensor w1, SymTensor b1, SymTensor w2, SymTensor b2)
    {
        var gate = Dense(Relu(Dense(GlobalAveragePool(x), w1, b1)), w2, b2).Map(Sigmoid);
        int hw = x.Shape[1] * x.Shape[2];
        return new SymTensor(x.Shape, [.. x.Data.Select((xi, f) => xi * gate[f / hw])]);
    }

    public static SymTensor MatMul(SymTensor a, SymTensor b) =>
        SymTensor.Build([a.Shape[0], b.Shape[1]], ix => Add(Enumerable.Range(0, a.Shape[1]).Select(k => a[ix[0], k] * b[k, ix[1]])));

    public static SymTensor Transpose(SymTensor a) => SymTensor.Build([a.Shape[1], a.Shape[0]], ix => a[ix[1], ix[0]]);

    /// <summary>Applies a vector function to every row of a matrix (the row-wise lift).</summary>
    public static SymTensor Rowwise(SymTensor m, Func<SymTensor, SymTensor> f) =>
        SymTensor.StackRows([.. Enumerable.Range(0, m.Shape[0]).Select(r => f(m.Row(r)))]);

    public static SymTensor RowSoftmax(SymTensor m) => Rowwise(m, Softmax);

    /// <summary>Single-head SDPA: softmax_rows(Q Kᵀ/√d)·V.</summary>
    public static SymTensor Sdpa(SymTensor q, SymTensor k, SymTensor v) => MatMul(Attention(q, k), v);

    public static SymTensor Attention(SymTensor q, SymTensor k) =>
        RowSoftmax(MatMul(q, Transpose(k)).Map(s => s * Pow(q.Shape[1], -Rational.Half)));

    /// <summary>Head h of a [H, n, d] tensor as an [n, d] matrix.</summary>
    public static SymTensor Head(SymTensor t, int h) =>
        new([t.Shape[1], t.Shape[2]], t.Data[(h * t.Shape[1] * t.Shape[2])..((h + 1) * t.Shape[1] * t.Shape[2])]);

    /// <summary>Multi-head SDPA on already split heads [H, n, d]: single-head SDPA per head, stacked.</summary>
    public static SymTensor Mhsa(SymTensor q, SymTensor k, SymTensor v) =>
        new(q.Shape, [.. Enumerable.Range(0, q.Shape[0]).SelectMany(h => Sdpa(Head(q, h), Head(k, h), Head(v, h)).Data)]);

    /// <summary>
    /// Patch embedding: stride-P conv (Wc [D,C,P,P], bc [D]) → N = (H/P)(W/P) patch rows (row-major grid), a CLS row
    /// prepended, positional table pos [N+1, D] added. Result [N+1, D].
    /// </summary>
    public static SymTensor PatchEmbed(SymTensor x, SymTensor wc, SymTensor bc, SymTensor cls, SymTensor pos)
    {
        int d = wc.Shape[0], p = wc.Shape[2], gh = x.Shape[1] / p, gw = x.Shape[2] / p;
        return SymTensor.Build([gh * gw + 1, d], ix =>
        {
            int r = ix[0], o = ix[1];
            if (r == 0) return cls[o] + pos[0, o];
            int ph = (r - 1) / gw, pw = (r - 1) % gw;
            return Add((
                from c in Enumerable.Range(0, x.Shape[0])
                from kh in Enumerable.Range(0, p)
                from kw in Enumerable.Range(0, p)
                select wc[o, c, kh, kw] * x[c, p * ph + kh, p * pw + kw]).Append(bc[o]).Append(pos[r, o]));
        });
    }
}
