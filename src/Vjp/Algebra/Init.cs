using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// Where new parameters are created: dtype, device and a seeded source of values. Rules never pick a dtype or
/// device themselves. The trainer may overwrite values afterwards (the book's own He initialiser).
/// </summary>
public sealed class Init(ScalarType dtype, Device device, int seed)
{
    readonly Random rng = new(seed);

    public ScalarType Dtype { get; } = dtype;
    public Device Device { get; } = device;

    /// <summary>Float64 on the CPU: what the finite-difference checks use.</summary>
    public static Init Float64Cpu(int seed) => new(ScalarType.Float64, CPU, seed);

    /// <summary>Normal values with standard deviation <paramref name="std"/>.</summary>
    public Tensor Normal(long[] shape, double std = 1.0)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = std * Gaussian();
        return tensor(values, shape, ScalarType.Float64).to(Dtype, Device);
    }

    /// <summary>He initialisation, σ = √(2/fanIn).</summary>
    public Tensor He(long[] shape, long fanIn) => Normal(shape, Math.Sqrt(2.0 / fanIn));

    public Tensor Zeros(params long[] shape) => zeros(shape, Dtype, Device);
    public Tensor Ones(params long[] shape) => ones(shape, Dtype, Device);

    /// <summary>A standard normal draw (Box–Muller); also used by samplers.</summary>
    public double Gaussian() =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

    public double Uniform() => rng.NextDouble();

    public int Int(int minInclusive, int maxInclusive) => rng.Next(minInclusive, maxInclusive + 1);

    // Samplers for rule domains: points where the rule is differentiable and FD is reliable.

    /// <summary>Standard normal entries.</summary>
    public Tensor Point(params long[] shape) => Normal(shape);

    /// <summary>
    /// Normal entries (standard deviation <paramref name="scale"/>) moved at least <paramref name="margin"/> away
    /// from every kink (ReLU at 0, ReLU6 at 0 and 6, hard-swish at ±3), so central differences never straddle one.
    /// </summary>
    public Tensor AwayFrom(double[] kinks, double margin, double scale, params long[] shape)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = scale * Gaussian();
            foreach (var k in kinks)
                if (Math.Abs(v - k) < margin) v = k + (v >= k ? margin : -margin);
            values[i] = v;
        }
        return tensor(values, shape, ScalarType.Float64).to(Dtype, Device);
    }

    /// <summary>
    /// A random permutation of evenly spaced values with gaps of <paramref name="gap"/>: no two entries tie, so every
    /// max-pool window has a unique maximum at least gap·… above the runner-up (far beyond the FD step).
    /// </summary>
    public Tensor Distinct(double gap, params long[] shape)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)n).Select(i => (i - n / 2.0) * gap).ToArray();
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = Int(0, i);
            (values[i], values[j]) = (values[j], values[i]);
        }
        return tensor(values, shape, ScalarType.Float64).to(Dtype, Device);
    }
}
