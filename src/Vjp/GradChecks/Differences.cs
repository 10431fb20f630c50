using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>A finite-difference stencil for one element.</summary>
internal enum Stencil
{
    /// <summary>(f(x + h) − f(x − h)) / 2h.</summary>
    Central,

    /// <summary>(−3 f(x) + 4 f(x − h) − f(x − 2h)) / (−2h): second order, never evaluates right of x.</summary>
    Left,

    /// <summary>(−3 f(x) + 4 f(x + h) − f(x + 2h)) / 2h: second order, never evaluates left of x.</summary>
    Right,
}

/// <summary>
/// The numeric side: the subject's forward at perturbed points, in float64 (or the operand's own dtype for the native
/// reference). Every difference divides by the displacement actually applied (read back after rounding to the evaluation
/// dtype), so a step below the dtype's resolution shows as a zero displacement rather than a wrong derivative.
/// </summary>
internal sealed class Differences
{
    readonly Subject subject;
    readonly Tensor[] basePoint;
    readonly bool exact;
    double[]? baseOutput;

    public Differences(Subject subject, NumericReference reference)
    {
        this.subject = subject;
        exact = reference == NumericReference.Float64;
        basePoint = [.. subject.Operands.Select(o => exact ? o.Value.to_type(ScalarType.Float64) : o.Value)];
        X = [.. subject.Operands.Select(o => Values(o.Value))];
        Shapes = [.. subject.Operands.Select(o => o.Value.shape)];
    }

    /// <summary>The operands' values at the tested point.</summary>
    public double[][] X { get; }

    public long[][] Shapes { get; }

    /// <summary>Forward evaluations so far.</summary>
    public int Forwards { get; private set; }

    /// <summary>f at the tested point.</summary>
    public double[] Base => baseOutput ??= Evaluate(-1, null).y;

    /// <summary>∂f/∂x(p, e) for every output, by <paramref name="stencil"/> at step <paramref name="h"/>.</summary>
    public double[] Column(int p, int e, double h, Stencil stencil)
    {
        if (stencil == Stencil.Central)
        {
            var (plus, up) = Shifted(p, e, h);
            var (minus, down) = Shifted(p, e, -h);
            var d = up - down;
            return [.. plus.Zip(minus, (a, b) => (a - b) / d)];
        }
        var sign = stencil == Stencil.Right ? 1 : -1;
        var (f1, a1) = Shifted(p, e, sign * h);
        var (f2, a2) = Shifted(p, e, 2 * sign * h);
        var f0 = Base;
        // Derivative at 0 of the parabola through (0, f0), (a, f1), (b, f2): the three-point one-sided formula with the
        // displacements actually applied (a = ±h, b = ±2h before rounding).
        var (s, t) = (a1 - X[p][e], a2 - X[p][e]);
        var (c0, c1, c2) = (-(s + t) / (s * t), t / (s * (t - s)), -s / (t * (t - s)));
        var column = new double[f0.Length];
        for (var o = 0; o < column.Length; o++) column[o] = c0 * f0[o] + c1 * f1[o] + c2 * f2[o];
        return column;
    }

    /// <summary>f(x + h·u) − f(x − h·u) with only operand p moved, and the displacement actually applied to it.</summary>
    public (double[] Difference, double[] Displacement) Along(int p, double[] u, double h)
    {
        var plus = new double[u.Length];
        var minus = new double[u.Length];
        for (var i = 0; i < u.Length; i++) (plus[i], minus[i]) = (X[p][i] + h * u[i], X[p][i] - h * u[i]);
        var (fp, ap) = Evaluate(p, plus);
        var (fm, am) = Evaluate(p, minus);
        return ([.. fp.Zip(fm, (a, b) => a - b)], [.. ap!.Zip(am!, (a, b) => a - b)]);
    }

    (double[] y, double applied) Shifted(int p, int e, double delta)
    {
        var values = (double[])X[p].Clone();
        values[e] += delta;
        var (y, applied) = Evaluate(p, values);
        return (y, applied![e]);
    }

    /// <summary>f with operand p replaced by <paramref name="values"/> (p = −1: the tested point); the values as applied.</summary>
    (double[] y, double[]? applied) Evaluate(int p, double[]? values)
    {
        using var scope = NewDisposeScope();
        var point = (Tensor[])basePoint.Clone();
        double[]? applied = null;
        if (p >= 0)
        {
            var t = tensor(values!, Shapes[p], ScalarType.Float64).to(basePoint[p].dtype, basePoint[p].device);
            point[p] = t;
            applied = exact ? values : Values(t);
        }
        Forwards++;
        Tensor y;
        try
        {
            y = subject.Forward(point);
        }
        catch (Exception e) when (exact && e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"GradCheck: {subject.Title} failed when run in float64 for the numeric side ({e.Message}). Make it dtype-generic "
                + "(cast captured tensors to the input's dtype) or check with Reference = NumericReference.Native.", e);
        }
        return (Values(y), applied);
    }

    /// <summary>A tensor's values as float64, row-major.</summary>
    public static double[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    /// <summary>Row-major flat index → multi-index.</summary>
    public static long[] Unravel(long flat, long[] shape) => Agreement.Unravel(flat, shape);
}

/// <summary>
/// Richardson extrapolation of central differences (a Romberg tableau): D(h) = D + c₁h² + c₂h⁴ + …, so combining D at h,
/// h/2, h/4 cancels the leading truncation terms. The entry with the smallest error estimate (its distance to its two
/// neighbours in the tableau, as in Ridders' method) is taken.
/// </summary>
internal static class Richardson
{
    /// <summary>The best estimate from values at steps h, h/2, h/4, … (at least two).</summary>
    public static (double Value, double Error) Extrapolate(IReadOnlyList<double> d)
    {
        var best = (Value: d[^1], Error: Math.Abs(d[^1] - d[^2]));
        var previous = new[] { d[0] };
        for (var l = 1; l < d.Count; l++)
        {
            var row = new double[l + 1];
            row[0] = d[l];
            for (var k = 1; k <= l; k++)
            {
                row[k] = row[k - 1] + (row[k - 1] - previous[k - 1]) / (Math.Pow(4, k) - 1);
                var error = Math.Max(Math.Abs(row[k] - row[k - 1]), Math.Abs(row[k] - previous[k - 1]));
                if (error < best.Error) best = (row[k], error);
            }
            previous = row;
        }
        return best;
    }
}
