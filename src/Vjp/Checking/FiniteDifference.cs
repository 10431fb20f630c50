using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>One row of a check: which ledger item, which check, at what sizes, the worst error, and the verdict.</summary>
public sealed record CheckResult(string Item, string Check, string Sizes, double MaxError, bool Passed, string Detail)
{
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")} {Check,-28} [{Item}] {Sizes}  max_err={MaxError:0.00e+00}{(Detail.Length > 0 ? "  " + Detail : "")}";
}

/// <summary>
/// Central finite differences in float64, the book's policy: step ε = 1e-5, (f(x+εe) − f(x−εe)) / 2ε.
/// Everything is evaluated on copies; the caller's tensors are never changed.
/// </summary>
public static class FiniteDifference
{
    public const double Step = 1e-5;

    /// <summary>Our tolerance on the absolute error (the book's is 1e-4; its measured errors are 5e-12 … 5e-10).</summary>
    public const double Tolerance = 1e-7;

    /// <summary>Output-major Jacobian J[out, in] = ∂f_out/∂x_in by central differences.</summary>
    public static double[,] Jacobian(Func<Tensor, Tensor> f, Tensor x, double eps = Step)
    {
        var x0 = Values(x);
        var n = x0.Length;
        double[,]? jacobian = null;
        for (var j = 0; j < n; j++)
        {
            var plus = Evaluate(f, x, x0, j, eps);
            var minus = Evaluate(f, x, x0, j, -eps);
            jacobian ??= new double[plus.Length, n];
            for (var o = 0; o < plus.Length; o++) jacobian[o, j] = (plus[o] - minus[o]) / (2 * eps);
        }
        return jacobian ?? new double[0, 0];
    }

    /// <summary>Gradient of the scalar ⟨f(x), dy⟩ with respect to every entry of x: the FD form of Jᵀ·dy.</summary>
    public static double[] Vjp(Func<Tensor, Tensor> f, Tensor x, Tensor dy, double eps = Step)
    {
        var x0 = Values(x);
        var cotangent = Values(dy);
        var grad = new double[x0.Length];
        for (var j = 0; j < x0.Length; j++)
            grad[j] = (Dot(Evaluate(f, x, x0, j, eps), cotangent) - Dot(Evaluate(f, x, x0, j, -eps), cotangent)) / (2 * eps);
        return grad;
    }

    /// <summary>J·v by one central directional difference: (f(x+εv) − f(x−εv)) / 2ε.</summary>
    public static double[] Directional(Func<Tensor, Tensor> f, Tensor x, Tensor v, double eps = Step)
    {
        using var scope = NewDisposeScope();
        var plus = Values(f(x.Add(v.Mul(eps))));
        var minus = Values(f(x - v.Mul(eps)));
        return [.. plus.Zip(minus, (p, m) => (p - m) / (2 * eps))];
    }

    /// <summary>
    /// Compares claimed and finite-difference values entry by entry through <see cref="Agreement"/>, the comparison
    /// GradCheck uses, with the absolute bound <paramref name="tolerance"/> (the book's measure); the worst absolute error
    /// is the row's figure. A failing row's detail is GradCheck's line naming the element of <paramref name="shape"/>
    /// (flat when null) and both values; NaN or Inf anywhere fails and makes the figure NaN.
    /// </summary>
    public static CheckResult Compare(string item, string check, string sizes, double[] claimed, double[] fd,
        double tolerance = Tolerance, long[]? shape = null)
    {
        if (claimed.Length != fd.Length)
            return new(item, check, sizes, double.NaN, false, $"claimed has {claimed.Length} entries, FD has {fd.Length}");
        var comparisons = Agreement.Elements(check, OperandKind.Input, shape ?? [claimed.Length], claimed, fd, tolerance, 0, Step,
            "central FD at the book's step");
        return VjpCheck.Row(item, check, sizes, comparisons, relative: false);
    }

    public static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    /// <summary>Row-major copy of a Jacobian.</summary>
    public static double[] Flatten(double[,] m)
    {
        var flat = new double[m.Length];
        Buffer.BlockCopy(m, 0, flat, 0, m.Length * sizeof(double));
        return flat;
    }

    public static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    static double[] Evaluate(Func<Tensor, Tensor> f, Tensor x, double[] x0, int j, double delta)
    {
        using var scope = NewDisposeScope();
        var shifted = (double[])x0.Clone();
        shifted[j] += delta;
        return Values(f(tensor(shifted, x.shape, ScalarType.Float64).to(x.dtype, x.device)));
    }
}
