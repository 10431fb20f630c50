using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// Tensor-and-number arithmetic with the number's libtorch <see cref="Scalar"/> alive for the whole native call.
/// TorchSharp's own forms (<c>x * 0.5</c>, <c>x.mul_(0.9)</c>, <c>x.clamp(0, 6)</c>) make a Scalar that nothing keeps
/// alive once its handle is read, so the garbage collector may finalize it while libtorch still uses it (seen as
/// Scalar.h:140 assertions and segfaults under GC pressure). Here each Scalar is bound by <c>using</c> around the call.
/// A source scan (tests/Oracle/Source) fails on any on-the-fly Scalar or Tensor in src/.
/// </summary>
public static class ScalarOps
{
    /// <summary>
    /// The alpha of 1 for the sums below. TorchSharp's alpha-less <c>add</c> and <c>add_</c>, and so <c>Tensor + Tensor</c>,
    /// hand libtorch an implicit Scalar 1 made inside TorchSharp, which nothing keeps alive (seen failing under the GC
    /// stress suite, tests/Oracle/Stress); this one lives as long as the process.
    /// </summary>
    static readonly Scalar One = 1.ToScalar();

    /// <summary>The exponent of <see cref="Square"/>: TorchSharp's <c>square()</c> is <c>pow(2)</c> with an implicit Scalar.</summary>
    static readonly Scalar Two = 2.ToScalar();

    /// <summary>
    /// Runs <paramref name="op"/> with <paramref name="c"/> as a Scalar bound by <c>using</c>, so it stays alive until the
    /// native call returns: the one place the single-number forms below make their Scalar.
    /// </summary>
    static Tensor With(double c, Func<Scalar, Tensor> op)
    {
        using var s = c.ToScalar();
        return op(s);
    }

    /// <summary>x + y, elementwise (broadcasting): TorchSharp's <c>x + y</c> with an alpha that outlives the call.</summary>
    public static Tensor Add(this Tensor x, Tensor y) => x.add(y, One);

    /// <summary>x ← x + y; returns x.</summary>
    public static Tensor AddInPlace(this Tensor x, Tensor y) => x.add_(y, One);

    /// <summary>x², elementwise: TorchSharp's <c>square()</c> (which is <c>pow(2)</c>) with an exponent that outlives the call.</summary>
    public static Tensor Square(this Tensor x) => x.pow(Two);

    /// <summary>x · c.</summary>
    public static Tensor Mul(this Tensor x, double c) => With(c, s => x.mul(s));

    /// <summary>x / c.</summary>
    public static Tensor Div(this Tensor x, double c) => With(c, s => x.div(s));

    /// <summary>x + c.</summary>
    public static Tensor Add(this Tensor x, double c) => With(c, s => x.add(s, One));

    /// <summary>c − x.</summary>
    public static Tensor RSub(this Tensor x, double c) => With(c, s => x.neg().add_(s, One));

    /// <summary>x^c, elementwise.</summary>
    public static Tensor Pow(this Tensor x, double c) => With(c, s => x.pow(s));

    /// <summary>min(max(x, lo), hi).</summary>
    public static Tensor Clamp(this Tensor x, double lo, double hi)
    {
        using var min = lo.ToScalar();
        using var max = hi.ToScalar();
        return x.clamp(min, max);
    }

    /// <summary>x &gt; c, as a bool mask.</summary>
    public static Tensor Gt(this Tensor x, double c) => With(c, s => x.gt(s));

    /// <summary>x &lt; c, as a bool mask.</summary>
    public static Tensor Lt(this Tensor x, double c) => With(c, s => x.lt(s));

    /// <summary>x ≤ c, as a bool mask.</summary>
    public static Tensor Le(this Tensor x, double c) => With(c, s => x.le(s));

    /// <summary>x ≥ c, as a bool mask.</summary>
    public static Tensor Ge(this Tensor x, double c) => With(c, s => x.ge(s));

    /// <summary>x ← x · c; returns x.</summary>
    public static Tensor MulInPlace(this Tensor x, double c) => With(c, s => x.mul_(s));

    /// <summary>x ← x / c; returns x.</summary>
    public static Tensor DivInPlace(this Tensor x, double c) => With(c, s => x.div_(s));

    /// <summary>x ← x + c; returns x.</summary>
    public static Tensor AddInPlace(this Tensor x, double c) => With(c, s => x.add_(s, One));

    /// <summary>x ← x + α·other; returns x.</summary>
    public static Tensor AddInPlace(this Tensor x, Tensor other, double alpha) => With(alpha, s => x.add_(other, s));

    /// <summary>x + c·a⊙b, broadcasting (x may be per-channel [1, C, 1, 1] and a, b full-size): one pass, a new tensor.</summary>
    public static Tensor Addcmul(this Tensor x, Tensor a, Tensor b, double c) => With(c, s => x.addcmul(a, b, s));

    /// <summary>x ← x + c·a⊙b; returns x.</summary>
    public static Tensor AddcmulInPlace(this Tensor x, Tensor a, Tensor b, double c) => With(c, s => x.addcmul_(a, b, s));
}
