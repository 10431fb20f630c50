using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Transformer;

/// <summary>
/// GELU in its two forms and softmax. The ledger's GELU (Defs 57/58, Thm 59) is the exact erf form; training uses the
/// tanh approximation (facts §4.11), a different function with its own derivative. Both are one-line elementwise
/// rules; which is which is in the name.
/// </summary>
public static class TransformerActivations
{
    static readonly double TanhC = Math.Sqrt(2 / Math.PI);
    const double Cubic = 0.044715;

    /// <summary>
    /// Training's GELU: ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³) (item 61, <c>gelu_has_vjp</c>);
    /// derivative ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(u).
    /// </summary>
    public static HasVjp<T, T> GeluTanh<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.gelu_has_vjp, "gelu (tanh form)",
            x => x.Mul(0.5) * x.Add(x.Pow(3).Mul(Cubic)).Mul(TanhC).tanh().Add(1),
            (x, _) =>
            {
                var t = x.Add(x.Pow(3).Mul(Cubic)).Mul(TanhC).tanh();
                return t.Add(1).Mul(0.5).Add((x.Mul(0.5) * t.Square().RSub(1)).Mul(TanhC) * x.Square().Mul(3 * Cubic).Add(1));
            });

    /// <summary>
    /// The ledger's GELU: ½x(1 + erf(x/√2)) = xΦ(x) (Defs 57/58; its Jacobian diag(Φ(x) + xφ(x)) is item 59,
    /// <c>pdiv_gelu</c>). Not used in training; checked as the book's check 25.
    /// </summary>
    public static HasVjp<T, T> GeluErf<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv_gelu, "gelu (erf form)",
            x => x.Mul(0.5) * x.Div(Math.Sqrt(2)).erf().Add(1),
            (x, _) => x.Div(Math.Sqrt(2)).erf().Add(1).Mul(0.5).Add((x * x.Square().Mul(-0.5).exp()).Div(Math.Sqrt(2 * Math.PI))));

    /// <summary>Row-wise softmax on a matrix (item 64): the vector softmax lifted to every row (item 25).</summary>
    public static HasVjp<Mat, Mat> RowSoftmax() =>
        Compose.Named(ItemId.rowSoftmax_has_vjp_mat, "row softmax", MatrixKit.RowWise(new Softmax()));
}

/// <summary>
/// p = softmax(x) over a vector, max-subtracted by libtorch (Jacobian diag(p) − ppᵀ, item 62). The pullback is the
/// closed-form collapse of item 63: dx = p ⊙ (dy − ⟨p, dy⟩); no Jacobian is formed.
/// </summary>
public sealed class Softmax() : HasVjp<Vec, Vec>(ItemId.softmax_has_vjp, "softmax")
{
    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x)
    {
        var p = x.T.softmax(-1);
        return (new Vec(p), dy => new Vec(p * (dy.T - (p * dy.T).sum(-1, keepdim: true))));
    }
}
