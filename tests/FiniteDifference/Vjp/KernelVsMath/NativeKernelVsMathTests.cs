using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// ReLU (item 36), ReLU6 (item 1's instance) and max pool (item 43) are axioms: the symbolic catalog has no closed form
/// to evaluate, so <see cref="KernelMath"/> cannot bind them. Their ledger statements are closed forms all the same
/// (dx = 1[x &gt; 0] ⊙ dy; 1[0 &lt; x &lt; 6] ⊙ dy; dy routed to each window's first maximum in row-major order), written
/// here entry by entry in .NET doubles, and every strategy's pullback (our mask and scatter compositions, and libtorch's
/// threshold_backward, hardtanh_backward and max_pool2d_with_indices_backward) must equal them in float64 and float32.
/// Inputs are small integers: every kink (0, 6) and many tied windows occur exactly.
/// </summary>
public class NativeKernelVsMathTests
{
    const long B = 2, C = 3, H = 7, W = 6;

    /// <summary>|kernel − closed| / max(1, |closed|): float64 to 1e-12; float32 to 1e-6 (overlapping windows sum in float32).</summary>
    static double Tolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-6;

    static (Tensor X, Tensor Dy) Draw(ScalarType dtype, long[] xShape, long[] dyShape, int seed)
    {
        var gen = new Generator((ulong)seed);
        var x = randint(-2, 8, xShape, ScalarType.Float64, generator: gen).to_type(dtype);
        var dy = randn(dyShape, ScalarType.Float64, generator: gen).to_type(dtype);
        return (x, dy);
    }

    static double[] Doubles(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    /// <summary>The worst entry, or an assertion naming the rule, the strategy, the dtype and the index.</summary>
    static void AssertEqual(string what, double[] kernel, double[] closed, ScalarType dtype)
    {
        Assert.Equal(closed.Length, kernel.Length);
        var (worst, max) = (0, 0.0);
        for (int i = 0; i < closed.Length; i++)
        {
            double rel = Math.Abs(kernel[i] - closed[i]) / Math.Max(1, Math.Abs(closed[i]));
            if (rel > max) (worst, max) = (i, rel);
        }
        Assert.True(max <= Tolerance(dtype),
            $"{what} ({dtype}): kernel differs from the closed form at index {worst}: kernel {kernel[worst]:R}, closed {closed[worst]:R}");
    }

    static double[] Indicator(Tensor x, Tensor dy, Func<double, bool> passes) =>
        [.. Doubles(x).Zip(Doubles(dy), (xi, g) => passes(xi) ? g : 0)];

    static double[] Pull(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) => Doubles(rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy)).T);

    public static TheoryData<KernelStrategy, ScalarType> ActivationCases()
    {
        var data = new TheoryData<KernelStrategy, ScalarType>();
        foreach (var s in Enum.GetValues<KernelStrategy>())
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
                data.Add(s, dtype);
        return data;
    }

    [Theory, MemberData(nameof(ActivationCases)), Evidence(ItemId.relu_has_vjp, EvidenceKind.KernelVsMath)]
    public void Relu_EveryStrategyEqualsTheIndicatorOfXAboveZero(KernelStrategy strategy, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(dtype, [B, C, H, W], [B, C, H, W], 3);
        AssertEqual($"relu [{strategy}]", Pull(Activations.Relu<Tensor3>(strategy), x, dy), Indicator(x, dy, v => v > 0), dtype);
    }

    // No [Evidence]: ReLU6 names item 1 (pdiv), which has no derivation of its own in the symbolic catalog to bind.
    [Theory, MemberData(nameof(ActivationCases))]
    public void Relu6_EveryStrategyEqualsTheIndicatorOfXStrictlyBetweenZeroAndSix(KernelStrategy strategy, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(dtype, [B, C, H, W], [B, C, H, W], 4);
        AssertEqual($"relu6 [{strategy}]", Pull(Activations.Relu6<Tensor3>(strategy), x, dy), Indicator(x, dy, v => v > 0 && v < 6), dtype);
    }

    /// <summary>
    /// Item 43's closed form in loops: SAME padding by −∞ (low side ⌊P/2⌋), each window scanned in row-major order, the
    /// running maximum replaced only by a strictly greater entry, dy added at that input position.
    /// </summary>
    static double[] RoutedToFirstMaximum(Tensor x, Tensor dy, long size, long stride)
    {
        var xs = Doubles(x);
        var gs = Doubles(dy);
        long oh = dy.shape[2], ow = dy.shape[3];
        long top = SamePadding.For(H, size, stride).Low, left = SamePadding.For(W, size, stride).Low;
        var dx = new double[xs.Length];
        for (long plane = 0; plane < B * C; plane++)
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    long best = -1;
                    for (long u = 0; u < size; u++)
                        for (long v = 0; v < size; v++)
                        {
                            long r = i * stride + u - top, c = j * stride + v - left;
                            if (r < 0 || r >= H || c < 0 || c >= W) continue; // −∞ padding never wins
                            long at = plane * H * W + r * W + c;
                            if (best < 0 || xs[at] > xs[best]) best = at;
                        }
                    dx[best] += gs[plane * oh * ow + i * ow + j];
                }
        return dx;
    }

    public static TheoryData<MaxPoolStrategy, ScalarType, long, long> PoolCases()
    {
        var data = new TheoryData<MaxPoolStrategy, ScalarType, long, long>();
        foreach (var s in Enum.GetValues<MaxPoolStrategy>())
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
                foreach (var (size, stride) in new[] { (2L, 2L), (3L, 2L), (3L, 1L) })
                    data.Add(s, dtype, size, stride);
        return data;
    }

    [Theory, MemberData(nameof(PoolCases)), Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.KernelVsMath)]
    public void MaxPool_EveryStrategyRoutesDyToEachWindowsFirstMaximum(MaxPoolStrategy strategy, ScalarType dtype, long size, long stride)
    {
        using var scope = NewDisposeScope();
        long oh = (H + stride - 1) / stride, ow = (W + stride - 1) / stride;
        var (x, dy) = Draw(dtype, [B, C, H, W], [B, C, oh, ow], (int)(10 * size + stride));
        AssertEqual($"maxpool {size}/{stride} [{strategy}]", Pull(new MaxPool(size, stride, strategy), x, dy),
            RoutedToFirstMaximum(x, dy, size, stride), dtype);
    }

    // ---- negative cases: a kernel called with the wrong operand or bounds is reported, naming rule and index ----

    [Fact]
    public void ThresholdBackwardMaskedByDy_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(ScalarType.Float64, [B, C, H, W], [B, C, H, W], 3);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertEqual("relu [mutant]", Doubles(NativeKernels.ThresholdBackward(dy, dy, 0)), Indicator(x, dy, v => v > 0), ScalarType.Float64));
        Assert.Contains("relu [mutant] (Float64): kernel differs from the closed form at index", ex.Message);
    }

    [Fact]
    public void HardtanhBackwardWithItsDefaultBounds_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(ScalarType.Float32, [B, C, H, W], [B, C, H, W], 4);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() => AssertEqual("relu6 [mutant]",
            Doubles(NativeKernels.HardtanhBackward(dy, x, -1, 1)), Indicator(x, dy, v => v > 0 && v < 6), ScalarType.Float32));
        Assert.Contains("relu6 [mutant] (Float32)", ex.Message);
    }

    [Fact]
    public void MaxPoolRoutedToTheLastMaximum_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(ScalarType.Float64, [B, C, H, W], [B, C, 4, 3], 22);
        // The routing run on the plane flipped in both axes: tied windows send dy to their last maximum (and, H being
        // odd, the SAME padding moves to the other side).
        var last = Doubles(new MaxPool(2, 2, MaxPoolStrategy.Native).Forward(new Tensor3(x.flip(2, 3).contiguous()))
            .pullback(new Tensor3(dy.flip(2, 3).contiguous())).T.flip(2, 3));
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertEqual("maxpool 2/2 [mutant]", last, RoutedToFirstMaximum(x, dy, 2, 2), ScalarType.Float64));
        Assert.Contains("maxpool 2/2 [mutant]", ex.Message);
    }
}
