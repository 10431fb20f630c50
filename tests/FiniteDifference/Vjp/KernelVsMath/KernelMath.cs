using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// Kernel versus math: a catalog entry's closed form evaluated at a seeded random float64 point against the
/// TorchSharp kernel run at the same point (batch 1) and assembled into the catalog's layout.
/// Metric: max over entries of |kernel − closed| / max(1, |closed|).
/// </summary>
static class KernelMath
{
    public const double Tolerance = 1e-12;

    /// <summary>The kernel side: from the point (tensor name → row-major values) to values in the catalog's layout.</summary>
    public delegate double[] Kernel(Point p, int instance);

    public sealed record Result(string Entry, double MaxRelative, int WorstIndex, double Kernel, double Closed, int Length);

    public static Result Compare(string item, int instance, Kernel kernel, int seed = 7)
    {
        var c = DerivationCatalog.Find(item).Instances[instance].Build();
        var rng = new Random(seed);
        var values = c.Tensors.ToDictionary(t => t.Key,
            t => Enumerable.Range(0, t.Value.Aggregate(1, (a, d) => a * d)).Select(_ => 2 * rng.NextDouble() - 1).ToArray());
        var closed = c.EvaluateClosedForm(values);
        double[] got;
        string entry = $"{item} [{c.Size}]";
        var point = new Point(values, seed + 1);
        using (NewDisposeScope()) got = kernel(point, instance);
        // A misspelt name would silently get a random tensor: every tensor the closed form uses must be read.
        if (values.Keys.Except(point.Read).FirstOrDefault() is { } unread)
            throw new InvalidOperationException($"{entry}: the kernel never read the catalog tensor {unread}");
        if (got.Length != closed.Length)
            throw new InvalidOperationException($"{entry}: kernel gives {got.Length} values, closed form {closed.Length}");
        var (worst, max) = (-1, 0.0);
        for (int i = 0; i < got.Length; i++)
        {
            double rel = Math.Abs(got[i] - closed[i]) / Math.Max(1, Math.Abs(closed[i]));
            if (!double.IsFinite(got[i]) || !double.IsFinite(closed[i])) rel = double.PositiveInfinity;
            if (rel > max || worst < 0) (worst, max) = (i, rel);
        }
        return new Result(entry, max, worst, got[worst], closed[worst], got.Length);
    }

    /// <summary>Asserts every instance of the item; returns the worst relative error for the report.</summary>
    public static double AssertAll(string item, Kernel kernel)
    {
        double worst = 0;
        for (int k = 0; k < DerivationCatalog.Find(item).Instances.Count; k++)
        {
            var r = Compare(item, k, kernel);
            Console.WriteLine($"kernel-vs-math {r.Entry}: max rel {r.MaxRelative:E2} over {r.Length} entries");
            Assert.True(r.MaxRelative <= Tolerance,
                $"{r.Entry}: kernel differs from the closed form at index {r.WorstIndex}: " +
                $"kernel {r.Kernel:R}, closed {r.Closed:R}, rel {r.MaxRelative:E2}");
            worst = Math.Max(worst, r.MaxRelative);
        }
        return worst;
    }

    public static double[] Values(Tensor t) => t.contiguous().cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    /// <summary>Runs the pullback once per unit cotangent e_j and writes J[i·m + j] = (read)_i (the catalog's layout).</summary>
    public static double[] Jacobian(int m, Func<Tensor, double[]> pullbackOfUnit)
    {
        var cols = Enumerable.Range(0, m).Select(j =>
        {
            var unit = new double[m];
            unit[j] = 1;
            var e = tensor(unit, float64);
            return pullbackOfUnit(e);
        }).ToArray();
        int n = cols[0].Length;
        var J = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) J[i * m + j] = cols[j][i];
        return J;
    }
}

/// <summary>
/// A point of a catalog case as float64 tensors. A tensor the case's expressions do not mention (a bias in a Jacobian
/// with respect to x, say) has no value there: <see cref="Get"/> draws it at random, since the closed form does not
/// depend on it.
/// </summary>
sealed class Point(IReadOnlyDictionary<string, double[]> values, int seed)
{
    readonly Random rng = new(seed);
    readonly HashSet<string> read = [];

    /// <summary>The catalog tensors the kernel asked for.</summary>
    public IReadOnlySet<string> Read => read;

    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>The tensor with the given shape (the kernel's, e.g. with a batch of 1).</summary>
    public Tensor Get(string name, params long[] shape)
    {
        long n = shape.Aggregate(1L, (a, d) => a * d);
        if (values.ContainsKey(name)) read.Add(name);
        if (!values.TryGetValue(name, out var v))
            return tensor(Enumerable.Range(0, (int)n).Select(_ => 2 * rng.NextDouble() - 1).ToArray(), float64).reshape(shape);
        if (v.Length != n)
            throw new InvalidOperationException($"catalog tensor {name} has {v.Length} values, the kernel wants {Shapes.Format(shape)}");
        return tensor(v, float64).reshape(shape);
    }
}
