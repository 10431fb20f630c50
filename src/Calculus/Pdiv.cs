using LeanMlirVerify.Calculus.Symbolic;

namespace LeanMlirVerify.Calculus;

/// <summary>
/// The book's <c>pdiv f x i j</c> (Definition 1): the partial derivative of output j with respect to input i,
/// ∂f_j/∂x_i — symbolically, or numerically by central differences.
/// </summary>
/// <remarks>
/// Step policy for the central difference: h = ε^(1/3) · max(1, |x_i|) with ε = 2^−52, which balances the O(h²)
/// truncation error against the O(ε/h) rounding error (MathNet's relative step, as <c>StepType.RelativeX</c>).
/// With Richardson extrapolation the estimate is (4·D(h/2) − D(h))/3, removing the h² term.
/// </remarks>
public static class Pdiv
{
    public static readonly double Epsilon = Math.Pow(2, -52);

    /// <summary>∂f_j/∂x_i as an expression.</summary>
    public static Expr Symbolic(IReadOnlyList<Expr> f, IReadOnlyList<Var> x, int i, int j) => f[j].D(x[i]);

    /// <summary>The Jacobian in the book's layout: J[i, j] = ∂f_j/∂x_i.</summary>
    public static Expr[,] Jacobian(IReadOnlyList<Expr> f, IReadOnlyList<Var> x)
    {
        var jac = new Expr[x.Count, f.Count];
        for (int i = 0; i < x.Count; i++)
            for (int j = 0; j < f.Count; j++) jac[i, j] = f[j].D(x[i]);
        return jac;
    }

    /// <summary>The derived VJP: dx_i = Σ_j dy_j · ∂f_j/∂x_i.</summary>
    public static Expr[] Vjp(IReadOnlyList<Expr> f, IReadOnlyList<Var> x, IReadOnlyList<Expr> dy)
    {
        if (f.Count != dy.Count) throw new ArgumentException($"cotangent has {dy.Count} entries, the function {f.Count} outputs");
        return [.. x.Select(xi => Expr.Add(f.Select((fj, j) => dy[j] * fj.D(xi))))];
    }

    /// <summary>The step for coordinate value <paramref name="xi"/> (see the remarks).</summary>
    public static double Step(double xi) => Math.Cbrt(Epsilon) * Math.Max(1, Math.Abs(xi));

    /// <summary>∂f_j/∂x_i at x by central differences in float64.</summary>
    public static double CentralDifference(Func<double[], double[]> f, double[] x, int i, int j, bool richardson = false)
    {
        double h = Step(x[i]);
        double d1 = Central(f, x, i, j, h);
        if (!richardson) return Finite(d1, i, j);
        double d2 = Central(f, x, i, j, h / 2);
        return Finite((4 * d2 - d1) / 3, i, j);
    }

    /// <summary>∂f_j/∂x_i of expressions at a point, by central differences in float64.</summary>
    public static double CentralDifference(
        IReadOnlyList<Expr> f, IReadOnlyList<Var> x, IReadOnlyDictionary<Var, Rational> point, int i, int j, bool richardson = false)
    {
        var baseValues = x.Select(v => point[v].ToDouble()).ToArray();
        var others = point.Where(kv => !x.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.ToDouble());
        return CentralDifference(values =>
        {
            return Evaluate.Many<F64>([f[j]], v =>
            {
                int k = IndexOf(x, v);
                return new F64(
                    k >= 0 ? values[k] : others.TryGetValue(v, out var o) ? o : throw new EvaluationException($"no value for {v.Name}"));
            }, () => string.Join(", ", values)).Select(s => s.Value).ToArray();
        }, baseValues, i, 0, richardson);
    }

    static int IndexOf(IReadOnlyList<Var> x, Var v)
    {
        for (int k = 0; k < x.Count; k++) if (ReferenceEquals(x[k], v)) return k;
        return -1;
    }

    static double Central(Func<double[], double[]> f, double[] x, int i, int j, double h)
    {
        var plus = (double[])x.Clone();
        var minus = (double[])x.Clone();
        plus[i] += h;
        minus[i] -= h;
        // the actual step taken (x ± h rounds) keeps the quotient honest
        return (f(plus)[j] - f(minus)[j]) / (plus[i] - minus[i]);
    }

    static double Finite(double d, int i, int j) =>
        double.IsFinite(d) ? d : throw new ArithmeticException($"central difference of output {j} wrt input {i} is {d}");
}
