using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace LeanMlirVerify.Testing;

/// <summary>
/// A generated case: the shapes and float64 values of a function's inputs. Values, not tensors, so that FsCheck can hold
/// and print cases without native memory; <see cref="Tensors"/> makes the tensors (in the caller's dispose scope).
/// </summary>
/// <param name="Shapes">One shape per input.</param>
/// <param name="Values">One row-major array of values per input.</param>
public sealed record GradSample(IReadOnlyList<long[]> Shapes, IReadOnlyList<double[]> Values)
{
    /// <summary>The inputs as tensors of <paramref name="dtype"/> on <paramref name="device"/> (the CPU when null).</summary>
    /// <param name="dtype">Element type.</param>
    /// <param name="device">Device; the CPU when null.</param>
    public Tensor[] Tensors(ScalarType dtype = ScalarType.Float64, Device? device = null) =>
        [.. Shapes.Select((s, i) => tensor(Values[i], s, ScalarType.Float64).to(dtype, device ?? CPU))];

    /// <summary>Shapes and values, as FsCheck prints a counterexample (values to 17 significant digits: they replay exactly).</summary>
    public override string ToString() =>
        string.Join("; ", Shapes.Select((s, i) =>
            $"[{string.Join(",", s)}] {{{string.Join(", ", Values[i].Select(v => v.ToString("G17", CultureInfo.InvariantCulture)))}}}"));
}

/// <summary>FsCheck generators for gradient checks: shapes, and inputs of those shapes (optionally kept away from kinks).</summary>
public static class GradGen
{
    /// <summary>
    /// Shapes of rank <paramref name="minRank"/>…<paramref name="maxRank"/>, each size in
    /// <paramref name="minSize"/>…<paramref name="maxSize"/>.
    /// </summary>
    /// <param name="minRank">Fewest dimensions.</param>
    /// <param name="maxRank">Most dimensions.</param>
    /// <param name="minSize">Smallest size of a dimension.</param>
    /// <param name="maxSize">Largest size of a dimension.</param>
    public static Gen<long[]> Shape(int minRank = 1, int maxRank = 3, int minSize = 1, int maxSize = 4)
    {
        if (minRank < 0 || maxRank < minRank || minSize < 0 || maxSize < minSize)
            throw new ArgumentException($"GradGen.Shape: ranks {minRank}…{maxRank}, sizes {minSize}…{maxSize} are not ranges");
        return Gen.Choose(minRank, maxRank).SelectMany(rank =>
            Gen.ArrayOf(Gen.Choose(minSize, maxSize), rank).Select(sizes => sizes.Select(s => (long)s).ToArray()));
    }

    /// <summary>Batch-first shapes for the algebra's ranks: [B, n] (rank 2), [B, rows, cols] (3), [B, C, H, W] (4).</summary>
    /// <param name="dims">Number of dimensions, batch included (2, 3 or 4).</param>
    /// <param name="maxBatch">Largest batch.</param>
    /// <param name="maxSize">Largest size of the other dimensions.</param>
    public static Gen<long[]> Batched(int dims, int maxBatch = 3, int maxSize = 5) =>
        Gen.Choose(1, maxBatch).SelectMany(b => Shape(dims - 1, dims - 1, 1, maxSize).Select(rest => rest.Prepend(b).ToArray()));

    /// <summary>
    /// Cases of <paramref name="inputs"/> inputs whose shapes come from <paramref name="shape"/> (one shape for all when
    /// <paramref name="sameShape"/>) and whose values are normal with standard deviation <paramref name="scale"/>, each moved
    /// at least <paramref name="margin"/> away from every point of <paramref name="awayFrom"/> (kinks of the function).
    /// </summary>
    /// <param name="shape">Generator of one input's shape.</param>
    /// <param name="inputs">Number of inputs.</param>
    /// <param name="sameShape">One shape for every input (elementwise functions) or one drawn per input.</param>
    /// <param name="scale">Standard deviation of the values.</param>
    /// <param name="awayFrom">Input values to keep away from (e.g. ReLU's 0); none when null.</param>
    /// <param name="margin">Smallest distance to those values.</param>
    public static Gen<GradSample> Sample(Gen<long[]> shape, int inputs = 1, bool sameShape = true, double scale = 1,
        double[]? awayFrom = null, double margin = 1e-3)
    {
        var shapes = sameShape ? shape.Select(s => Enumerable.Repeat(s, inputs).ToArray()) : Gen.ArrayOf(shape, inputs);
        return shapes.SelectMany(ss => Gen.Choose(0, int.MaxValue), (ss, seed) => Make(ss, seed, scale, awayFrom ?? [], margin));
    }

    /// <summary>Cases with fixed shapes (one per input) and random normal values.</summary>
    /// <param name="shapes">One shape per input.</param>
    public static Gen<GradSample> Sample(params long[][] shapes) =>
        Gen.Choose(0, int.MaxValue).Select(seed => Make(shapes, seed, 1, [], 0));

    /// <summary>The same cases as an FsCheck <see cref="Arbitrary{T}"/> (no shrinking: values are drawn from a seed).</summary>
    /// <param name="cases">The generator.</param>
    public static Arbitrary<GradSample> Arbitrary(Gen<GradSample> cases) => Arb.From(cases);

    static GradSample Make(long[][] shapes, int seed, double scale, double[] awayFrom, double margin)
    {
        var rng = new Random(seed);
        var values = shapes.Select(s =>
        {
            var n = s.Aggregate(1L, (a, b) => a * b);
            var v = new double[n];
            for (var i = 0; i < n; i++)
            {
                var x = scale * Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
                foreach (var k in awayFrom)
                    if (Math.Abs(x - k) < margin) x = k + (x >= k ? margin : -margin);
                v[i] = x;
            }
            return v;
        }).ToArray();
        return new GradSample(shapes, values);
    }
}
