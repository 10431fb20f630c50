using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// Where new parameters are created: dtype, device and a seeded source of values. Rules never pick a dtype or
/// device themselves. <see cref="He"/> is the one He initialiser, the book's (training facts §4.3): a trainer's
/// graph starts at the original's values because its rules draw them here, in the spec's tensor order.
/// </summary>
public sealed class Init(ScalarType dtype, Device device, int seed)
{
    /// <summary>The original's seed of the first He tensor; each He tensor takes the next one.</summary>
    public const ulong FirstHeSeed = 42;

    /// <summary>float32(2⁶⁴ − 1) rounds to 2⁶⁴.</summary>
    const float Denominator = 18446744073709551616f;

    readonly Random rng = new(seed);
    readonly List<HeDraw> heDraws = [];

    // Seed 0 (a trainer) gives the original's seeds 42, 43, …; other seeds (the checks) start 2³² seeds further per unit.
    ulong nextHeSeed = FirstHeSeed + ((ulong)(uint)seed << 32);

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

    /// <summary>
    /// He initialisation, σ = √(2/fanIn), byte-exact with the original: the tensor's own xorshift stream (the next He
    /// seed) through <see cref="HeValues"/>, as float32, then moved to this dtype and device.
    /// </summary>
    public Tensor He(long[] shape, long fanIn)
    {
        var values = HeValues(shape.Aggregate(1L, (a, b) => a * b), fanIn, nextHeSeed);
        heDraws.Add(new HeDraw(shape, fanIn, nextHeSeed++, values.Length > 0 ? values[0] : 0f));
        return tensor(values, shape).to(Dtype, Device);
    }

    /// <summary>Every <see cref="He"/> draw so far, in order: what a trainer checks its rules drew against the spec.</summary>
    public IReadOnlyList<HeDraw> HeDraws => heDraws;

    /// <summary>
    /// The original's He stream: each value sums three uniforms float32(s)/float32(2⁶⁴−1) − 0.5 in float32 from a
    /// xorshift seeded with <paramref name="seed"/>, and scales by 2·float32(√(2/fanIn)): mean 0, variance 2/fanIn,
    /// bounded by ±3·√(2/fanIn).
    /// </summary>
    public static float[] HeValues(long count, long fanIn, ulong seed)
    {
        float scale = (float)Math.Sqrt(2.0 / fanIn);
        var stream = new Xorshift64(seed);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            float acc = 0f;
            for (int k = 0; k < 3; k++) acc += ToFloat(stream.Next()) / Denominator - 0.5f;
            values[i] = acc * 2f * scale;
        }
        return values;
    }

    /// <summary>uint64 → float32 rounded to nearest, ties to even, in one rounding (no detour through double).</summary>
    public static float ToFloat(ulong v)
    {
        if (v < (1UL << 24)) return v;
        int shift = 64 - System.Numerics.BitOperations.LeadingZeroCount(v) - 24;
        ulong mantissa = v >> shift, rest = v & ((1UL << shift) - 1), half = 1UL << (shift - 1);
        if (rest > half || (rest == half && (mantissa & 1) == 1)) mantissa++;
        return MathF.ScaleB(mantissa, shift);
    }

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

/// <summary>One <see cref="Init.He"/> draw: the tensor's shape, fan-in, xorshift seed and first value.</summary>
public sealed record HeDraw(long[] Shape, long FanIn, ulong Seed, float First);
