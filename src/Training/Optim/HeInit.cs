using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Optim;

/// <summary>
/// The original's He initialisation (training facts §4.3), byte-exact: each He tensor (kernels and the positional
/// table) gets its own xorshift stream, seeds counting up from 42 in tensor order. Each value sums three uniforms
/// float32(s)/float32(2⁶⁴−1) − 0.5 in float32 and scales by 2·float32(√(2/fanIn)). Biases, β and the CLS token are 0;
/// BN and LayerNorm γ are 1.
/// </summary>
public static class HeInit
{
    public const ulong FirstSeed = 42;

    /// <summary>float32(2⁶⁴ − 1) rounds to 2⁶⁴.</summary>
    const float Denominator = 18446744073709551616f;

    /// <summary>Every tensor's initial values, in tensor order.</summary>
    public static IReadOnlyList<(ParamTensor Tensor, float[] Values)> Tensors(NetSpec spec)
    {
        ulong seed = FirstSeed;
        return ParamTensors.Of(spec).Select(t => (t, Values(t, t.ConsumesSeed ? seed++ : 0))).ToList();
    }

    /// <summary>The whole flat parameter buffer (tensors concatenated, each row-major).</summary>
    public static float[] Flat(NetSpec spec) => Tensors(spec).SelectMany(t => t.Values).ToArray();

    public static float[] Values(ParamTensor tensor, ulong seed) => tensor.Role switch
    {
        ParamRole.Kernel or ParamRole.Positions => Normal(tensor.Size, tensor.FanIn, seed),
        ParamRole.BnGamma or ParamRole.LnGamma => Enumerable.Repeat(1f, checked((int)tensor.Size)).ToArray(),
        _ => new float[tensor.Size],
    };

    /// <summary>The scaled Irwin–Hall stream: mean 0, variance 2/fanIn, bounded by ±3·scale.</summary>
    public static float[] Normal(long count, long fanIn, ulong seed)
    {
        float scale = (float)Math.Sqrt(2.0 / fanIn);
        var rng = new Xorshift64(seed);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            float acc = 0f;
            for (int k = 0; k < 3; k++) acc += ToFloat(rng.Next()) / Denominator - 0.5f;
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
}
