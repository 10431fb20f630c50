using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// How a catalog case meets a batch: the tensors that differ per sample (inputs, cotangents) and how many leading
/// entries of the closed form belong to one sample (its dx, or the Jacobian of one sample); the rest are parameter
/// cotangents, which the kernel sums over the batch. Every other tensor (weights, γ, fixed factors) is shared.
/// </summary>
sealed record Batching(IReadOnlySet<string> PerSample, Func<int, int>? PerSampleEntries = null)
{
    public static Batching Of(params string[] perSample) => new(perSample.ToHashSet());

    public Batching Summing(Func<int, int> perSampleEntries) => this with { PerSampleEntries = perSampleEntries };
}

/// <summary>
/// Kernel versus math at a batch of <see cref="Batch"/> samples: the closed form is evaluated at each sample's own seeded
/// random float64 point (shared tensors equal across samples) and the TorchSharp kernel runs once on the whole batch.
/// Expected: each sample's per-sample entries in batch order, then the parameter entries summed over the samples — so a
/// kernel that mixes samples, or averages or drops a parameter cotangent's batch sum, differs.
/// Metric: max over entries of |kernel − closed| / max(1, |closed|).
/// </summary>
static class KernelMath
{
    public const double Tolerance = 1e-12;

    /// <summary>The batch every test runs at (batch-norm items put their batch inside the channel; see their tests).</summary>
    public const int Batch = 3;

    /// <summary>The kernel side: from the point to values in the layout described by <see cref="Batching"/>.</summary>
    public delegate double[] Kernel(Point p, int instance);

    public sealed record Result(string Entry, double MaxRelative, int WorstIndex, double Kernel, double Closed, int Length);

    public static Result Compare(string item, int instance, Batching batching, Kernel kernel, int batch = Batch, int seed = 7)
    {
        var c = DerivationCatalog.Find(item).Instances[instance].Build();
        string entry = $"{item} [{c.Size}] batch {batch}";
        var rng = new Random(seed);
        double[] Draw(int[] shape) => [.. Enumerable.Range(0, shape.Aggregate(1, (a, d) => a * d)).Select(_ => 2 * rng.NextDouble() - 1)];
        var shared = c.Tensors.Where(t => !batching.PerSample.Contains(t.Key)).ToDictionary(t => t.Key, t => Draw(t.Value));
        var samples = Enumerable.Range(0, batch).Select(_ =>
            (IReadOnlyDictionary<string, double[]>)shared.Concat(c.Tensors.Where(t => batching.PerSample.Contains(t.Key))
                .Select(t => KeyValuePair.Create(t.Key, Draw(t.Value)))).ToDictionary()).ToList();
        var closedPerSample = samples.Select(c.EvaluateClosedForm).ToList();
        int length = closedPerSample[0].Length, own = batching.PerSampleEntries?.Invoke(instance) ?? length;
        double[] closed = [.. closedPerSample.SelectMany(v => v.Take(own)),
            .. Enumerable.Range(own, length - own).Select(e => closedPerSample.Sum(v => v[e]))];

        var point = new Point(samples, batching.PerSample, seed + 1);
        double[] got;
        using (NewDisposeScope()) got = kernel(point, instance);
        // A misspelt name would silently get a random tensor: every tensor the closed form uses must be read.
        if (c.Tensors.Keys.Except(point.Read).FirstOrDefault() is { } unread)
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

    /// <summary>
    /// Asserts every instance of the item at <see cref="Batch"/> (or those whose size label <paramref name="instances"/>
    /// accepts) within <paramref name="tolerance"/> (<see cref="Tolerance"/> unless a float32 kernel states its own);
    /// returns the worst relative error for the report.
    /// </summary>
    public static double AssertAll(string item, Batching batching, Kernel kernel, int batch = Batch, Func<string, bool>? instances = null,
        double tolerance = Tolerance)
    {
        double worst = 0;
        var all = DerivationCatalog.Find(item).Instances;
        if (instances is not null && !all.Any(i => instances(i.Size)))
            throw new InvalidOperationException($"{item}: no instance is selected");
        for (int k = 0; k < all.Count; k++)
        {
            if (instances is not null && !instances(all[k].Size)) continue;
            var r = Compare(item, k, batching, kernel, batch);
            Console.WriteLine($"kernel-vs-math {r.Entry}: max rel {r.MaxRelative:E2} over {r.Length} entries");
            Assert.True(r.MaxRelative <= tolerance,
                $"{r.Entry}: kernel differs from the closed form at index {r.WorstIndex}: " +
                $"kernel {r.Kernel:R}, closed {r.Closed:R}, rel {r.MaxRelative:E2}");
            worst = Math.Max(worst, r.MaxRelative);
        }
        return worst;
    }

    public static double[] Values(Tensor t) => t.contiguous().cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    /// <summary>
    /// The Jacobian of each sample from the pullback of unit cotangents e_(b,j) [B, m]: J_b[i·m + j] = dx[b, i], samples
    /// concatenated. A nonzero dx in another sample b' ≠ b (the batch mixed) throws, naming both.
    /// </summary>
    public static double[] Jacobian(int batch, int m, Func<Tensor, Tensor> pullbackOfUnit)
    {
        var blocks = new List<double>();
        for (int b = 0; b < batch; b++)
        {
            var cols = new double[m][];
            for (int j = 0; j < m; j++)
            {
                var unit = new double[batch * m];
                unit[b * m + j] = 1;
                var dx = pullbackOfUnit(tensor(unit, float64).reshape(batch, m));
                var rows = Values(dx.reshape(batch, -1));
                int n = rows.Length / batch;
                for (int other = 0; other < batch; other++)
                    if (other != b && rows.Skip(other * n).Take(n).Any(v => v != 0))
                        throw new InvalidOperationException(
                            $"a cotangent in sample {b} moved dx of sample {other}: the kernel mixes the batch");
                cols[j] = [.. rows.Skip(b * n).Take(n)];
            }
            int len = cols[0].Length;
            for (int i = 0; i < len; i++)
                for (int j = 0; j < m; j++) blocks.Add(cols[j][i]);
        }
        return [.. blocks];
    }

    /// <summary>
    /// A parameter's Jacobian per sample: <paramref name="gradientOfUnit"/> runs the pullback of e_(b,j) on a fresh rule
    /// and returns the parameter's gradient; J_b[i·m + j] = grad_i, samples concatenated.
    /// </summary>
    public static double[] ParameterJacobian(int batch, int m, Func<Tensor, Tensor> gradientOfUnit)
    {
        var blocks = new List<double>();
        for (int b = 0; b < batch; b++)
        {
            var cols = Enumerable.Range(0, m).Select(j =>
            {
                var unit = new double[batch * m];
                unit[b * m + j] = 1;
                return Values(gradientOfUnit(tensor(unit, float64).reshape(batch, m)));
            }).ToArray();
            for (int i = 0; i < cols[0].Length; i++)
                for (int j = 0; j < m; j++) blocks.Add(cols[j][i]);
        }
        return [.. blocks];
    }
}

/// <summary>
/// A batch of points of a catalog case as float64 tensors: <see cref="Get"/> for a shared tensor, <see cref="Stack"/> for
/// a per-sample one ([B, …] in sample order). A tensor the case's expressions do not mention (a bias in a Jacobian with
/// respect to x, x in a linear map's Jacobian) has no value there: it is drawn at random, since the closed form does not
/// depend on it.
/// </summary>
sealed class Point(IReadOnlyList<IReadOnlyDictionary<string, double[]>> samples, IReadOnlySet<string> perSample, int seed)
{
    readonly Random rng = new(seed);
    readonly HashSet<string> read = [];

    /// <summary>The catalog tensors the kernel asked for.</summary>
    public IReadOnlySet<string> Read => read;

    public int Batch => samples.Count;

    public bool Has(string name) => samples[0].ContainsKey(name);

    /// <summary>A tensor shared by the batch (a weight, γ, a fixed factor), with the kernel's shape.</summary>
    public Tensor Get(string name, params long[] shape)
    {
        if (perSample.Contains(name))
            throw new InvalidOperationException($"{name} differs per sample: read it with Stack");
        long n = shape.Aggregate(1L, (a, d) => a * d);
        if (!samples[0].TryGetValue(name, out var v))
            return tensor(Enumerable.Range(0, (int)n).Select(_ => 2 * rng.NextDouble() - 1).ToArray(), float64).reshape(shape);
        read.Add(name);
        if (v.Length != n)
            throw new InvalidOperationException($"catalog tensor {name} has {v.Length} values, the kernel wants {Shapes.Format(shape)}");
        return tensor(v, float64).reshape(shape);
    }

    /// <summary>A per-sample tensor stacked over the batch: [B, ..sampleShape].</summary>
    public Tensor Stack(string name, params long[] sampleShape)
    {
        if (!perSample.Contains(name)) throw new InvalidOperationException($"{name} is shared by the batch: read it with Get");
        long n = sampleShape.Aggregate(1L, (a, d) => a * d);
        if (!samples[0].ContainsKey(name))
            return tensor(Enumerable.Range(0, (int)(Batch * n)).Select(_ => 2 * rng.NextDouble() - 1).ToArray(), float64)
                .reshape([Batch, .. sampleShape]);
        read.Add(name);
        var values = samples.SelectMany(s => s[name].Length == n ? s[name]
            : throw new InvalidOperationException(
                $"catalog tensor {name} has {s[name].Length} values, the kernel wants {Shapes.Format(sampleShape)}"));
        return tensor(values.ToArray(), float64).reshape([Batch, .. sampleShape]);
    }
}
