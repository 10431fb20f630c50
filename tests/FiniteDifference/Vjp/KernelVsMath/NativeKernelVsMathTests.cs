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
    static void AssertEqual(string what, double[] kernel, double[] closed, ScalarType dtype, double? tolerance = null)
    {
        Assert.Equal(closed.Length, kernel.Length);
        var (worst, max) = (0, 0.0);
        for (int i = 0; i < closed.Length; i++)
        {
            double rel = Math.Abs(kernel[i] - closed[i]) / Math.Max(1, Math.Abs(closed[i]));
            if (rel > max) (worst, max) = (i, rel);
        }
        Assert.True(max <= (tolerance ?? Tolerance(dtype)),
            $"{what} ({dtype}): kernel differs from the closed form at index {worst}: kernel {kernel[worst]:R}, closed {closed[worst]:R}");
    }

    static double[] Indicator(Tensor x, Tensor dy, Func<double, bool> passes) =>
        [.. Doubles(x).Zip(Doubles(dy), (xi, g) => passes(xi) ? g : 0)];

    static double[] Pull(HasVjp<Tensor3, Tensor3> rule, Tensor x, Tensor dy) =>
        Doubles(rule.Forward(new Tensor3(x)).pullback(new Tensor3(dy)).T);

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

    public static TheoryData<KernelStrategy, ScalarType, long, long> PoolCases()
    {
        var data = new TheoryData<KernelStrategy, ScalarType, long, long>();
        foreach (var s in Enum.GetValues<KernelStrategy>())
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
                foreach (var (size, stride) in new[] { (2L, 2L), (3L, 2L), (3L, 1L) })
                    data.Add(s, dtype, size, stride);
        return data;
    }

    [Theory, MemberData(nameof(PoolCases)), Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.KernelVsMath)]
    public void MaxPool_EveryStrategyRoutesDyToEachWindowsFirstMaximum(KernelStrategy strategy, ScalarType dtype, long size, long stride)
    {
        using var scope = NewDisposeScope();
        long oh = (H + stride - 1) / stride, ow = (W + stride - 1) / stride;
        var (x, dy) = Draw(dtype, [B, C, H, W], [B, C, oh, ow], (int)(10 * size + stride));
        AssertEqual($"maxpool {size}/{stride} [{strategy}]", Pull(new MaxPool(size, stride, strategy), x, dy),
            RoutedToFirstMaximum(x, dy, size, stride), dtype);
    }

    // ---- depthwise dx (item 53): every input strategy, libtorch's convolution_backward among them, against the ledger's
    // per-channel reversed-kernel sum dx[b,c,p,q] = Σ_{u,v} dy[b,c,u,v]·w[c,p+low−s·u, q+low−s·v] (w = 0 off its k×k),
    // with SAME's low padding; odd sides with stride 2 make that padding asymmetric (the crop to x is exercised) ----

    /// <summary>
    /// float32: each entry sums ≤ ⌈k/s⌉² ≤ 9 products of |dy| ≲ 4 and integer |w| ≤ 3, so 9·12·2⁻²⁴ ≈ 6e-6 bounds it.
    /// </summary>
    const double DepthwiseDxFloat32Bound = 1e-5;

    public static TheoryData<ConvInputStrategy, ScalarType, long, long> DepthwiseDxCases()
    {
        var data = new TheoryData<ConvInputStrategy, ScalarType, long, long>();
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            foreach (var (k, s) in new[] { (3L, 1L), (2L, 1L), (3L, 2L), (2L, 2L), (4L, 2L), (5L, 2L), (1L, 2L) })
                foreach (var x in Enum.GetValues<ConvInputStrategy>().Where(x => ConvStrategies.Applies(x, true, k, k, s)))
                    data.Add(x, dtype, k, s);
        return data;
    }

    [Theory, MemberData(nameof(DepthwiseDxCases)), Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.KernelVsMath)]
    public void DepthwiseDx_EveryStrategyEqualsThePerChannelReversedKernelSum(ConvInputStrategy strategy, ScalarType dtype, long k,
        long stride)
    {
        using var scope = NewDisposeScope();
        var (dx, closed) = DepthwiseDx(strategy, dtype, k, stride, (int)(10 * k + stride));
        AssertEqual($"depthwise dx k{k} s{stride} [{strategy}]", dx, closed, dtype,
            dtype == ScalarType.Float32 ? DepthwiseDxFloat32Bound : null);
    }

    [Fact]
    public void DepthwiseDxStrategies_IncludeLibtorchsKernel() =>
        Assert.Contains(DepthwiseDxCases(), row => (ConvInputStrategy)row[0] == ConvInputStrategy.Native && (long)row[3] == 2);

    // The full conv's dx (item 39) by every input strategy that applies (libtorch's kernel, which Auto runs at stride ≥ 2
    // where windows overlap, the phase split, the scatter, the padded and dilated correlations), O = 2 output channels.
    public static TheoryData<ConvInputStrategy, ScalarType, long, long> ConvDxCases()
    {
        var data = new TheoryData<ConvInputStrategy, ScalarType, long, long>();
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            foreach (var (k, s) in new[] { (3L, 1L), (2L, 1L), (1L, 1L), (3L, 2L), (2L, 2L), (4L, 2L), (5L, 2L), (1L, 2L), (3L, 3L) })
                foreach (var x in Enum.GetValues<ConvInputStrategy>().Where(x => ConvStrategies.Applies(x, false, k, k, s)))
                    data.Add(x, dtype, k, s);
        return data;
    }

    [Theory, MemberData(nameof(ConvDxCases)), Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.KernelVsMath)]
    public void ConvDx_EveryStrategyEqualsTheReversedKernelSumOverOutputChannels(ConvInputStrategy strategy, ScalarType dtype,
        long k, long stride)
    {
        using var scope = NewDisposeScope();
        var (w, x, dy, _) = ConvOperands(dtype, k, stride, (int)(10 * k + stride), depthwise: false);
        var rule = new Conv2d(w, null, stride, inputStrategy: strategy);
        // float32: each entry sums ≤ O·⌈k/s⌉² ≤ 18 products, twice the depthwise count; twice its bound.
        AssertEqual($"conv dx k{k} s{stride} [{strategy}]", Pull(rule, x, dy),
            ReversedKernelSum(w, dy, k, stride, depthwise: false), dtype, dtype == ScalarType.Float32 ? 2 * DepthwiseDxFloat32Bound : null);
    }

    [Fact]
    public void ConvDxStrategies_IncludeLibtorchsKernelAndThePhaseSplit()
    {
        Assert.Contains(ConvDxCases(), row => (ConvInputStrategy)row[0] == ConvInputStrategy.Native && (long)row[3] == 2);
        Assert.Contains(ConvDxCases(), row => (ConvInputStrategy)row[0] == ConvInputStrategy.PhaseCorrelation);
    }

    // Negative: libtorch's full-conv dx with the kernel's channel axes read as [C, O] (w transposed) differs.
    [Fact]
    public void ConvNativeDxWithTheKernelsChannelsSwapped_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (w, x, dy, _) = ConvOperands(ScalarType.Float64, 3, 1, 7, depthwise: false, inChannels: 2);
        var wrong = NativeKernels.ConvInputBackward(dy, x, w.transpose(0, 1).contiguous(), 1, 1, 1, depthwise: false);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() => AssertEqual("conv dx [mutant]", Doubles(wrong),
            ReversedKernelSum(w, dy, 3, 1, depthwise: false), ScalarType.Float64));
        Assert.Contains("conv dx [mutant] (Float64): kernel differs from the closed form at index", ex.Message);
    }

    // Negative: libtorch's dx cropped at SAME's high side (xp's rows high..high+H) differs from the closed form.
    [Fact]
    public void DepthwiseNativeDxCroppedAtTheHighSide_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (w, x, dy, _) = DepthwiseOperands(ScalarType.Float64, 3, 2, 5);
        var pad = SamePadding.For(H, 3, 2);
        var padW = SamePadding.For(W, 3, 2);
        var xp = nn.functional.pad(x, [padW.Low, padW.High, pad.Low, pad.High]);
        var full = NativeKernels.ConvInputBackward(dy, xp, w, 2, 0, 0, depthwise: true);
        var wrong = full.narrow(2, pad.High, H).narrow(3, padW.High, W);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() => AssertEqual("depthwise dx [mutant]", Doubles(wrong),
            ReversedKernelSum(w, dy, 3, 2), ScalarType.Float64));
        Assert.Contains("depthwise dx [mutant] (Float64): kernel differs from the closed form at index", ex.Message);
    }

    [Fact]
    public void ConvKernels_GivenMismatchedOperands_ThrowNamingThemselvesAndTheShapes_BeforeReachingLibtorch()
    {
        using var scope = NewDisposeScope();
        Func<Tensor, Tensor, Tensor, long, long, long, bool, Tensor>[] kernels =
            [NativeKernels.ConvWeightBackward, NativeKernels.ConvInputBackward];
        foreach (var (kernel, name) in kernels.Zip([nameof(NativeKernels.ConvWeightBackward), nameof(NativeKernels.ConvInputBackward)]))
        {
            // A full conv's kernel called as depthwise, then an input whose channels the kernel does not take.
            var ex = Assert.Throws<ArgumentException>(() => kernel(zeros(2, 4, 3, 3), zeros(2, 4, 5, 5), zeros(4, 4, 3, 3), 2, 1, 1, true));
            Assert.Contains($"NativeKernels.{name}", ex.Message);
            Assert.Contains("w [4, 4, 3, 3]", ex.Message);
            ex = Assert.Throws<ArgumentException>(() => kernel(zeros(2, 4, 3, 3), zeros(2, 3, 5, 5), zeros(4, 4, 3, 3), 1, 1, 1, false));
            Assert.Contains($"NativeKernels.{name}", ex.Message);
            Assert.Contains("input [2, 3, 5, 5]", ex.Message);
        }
    }

    static (Tensor W, Tensor X, Tensor Dy, long Out) DepthwiseOperands(ScalarType dtype, long k, long stride, int seed) =>
        ConvOperands(dtype, k, stride, seed, depthwise: true);

    // w [O, C, k, k] with O = 2 (depthwise [C, 1, k, k]) of small integers, x [B, C, H, W] and dy [B, O, ⌈H/s⌉, ⌈W/s⌉].
    static (Tensor W, Tensor X, Tensor Dy, long Out) ConvOperands(ScalarType dtype, long k, long stride, int seed, bool depthwise,
        long inChannels = C)
    {
        var gen = new Generator((ulong)seed);
        long oh = (H + stride - 1) / stride, ow = (W + stride - 1) / stride, outs = depthwise ? inChannels : 2;
        var w = randint(-3, 4, depthwise ? [inChannels, 1, k, k] : [outs, inChannels, k, k], ScalarType.Float64, generator: gen)
            .to_type(dtype);
        var x = randn([B, inChannels, H, W], ScalarType.Float64, generator: gen).to_type(dtype);
        var dy = randn([B, outs, oh, ow], ScalarType.Float64, generator: gen).to_type(dtype);
        return (w, x, dy, oh);
    }

    static (double[] Dx, double[] Closed) DepthwiseDx(ConvInputStrategy strategy, ScalarType dtype, long k, long stride, int seed)
    {
        var (w, x, dy, _) = DepthwiseOperands(dtype, k, stride, seed);
        var rule = new Conv2d(w, null, stride, depthwise: true, inputStrategy: strategy);
        return (Pull(rule, x, dy), ReversedKernelSum(w, dy, k, stride));
    }

    /// <summary>
    /// The ledger's dx entry by entry in doubles (the operands' own values, as rounded to their dtype): Σ over output
    /// channels o (depthwise, w [C, 1, k, k]: o = c alone) and dy positions of dy[b,o,u,v]·w[o,c,p+low−s·u,q+low−s·v].
    /// </summary>
    static double[] ReversedKernelSum(Tensor w, Tensor dy, long k, long stride, bool depthwise = true)
    {
        var wd = Doubles(w);
        var g = Doubles(dy);
        long channels = depthwise ? w.shape[0] : w.shape[1], outs = dy.shape[1], oh = dy.shape[2], ow = dy.shape[3];
        long lowH = SamePadding.For(H, k, stride).Low, lowW = SamePadding.For(W, k, stride).Low;
        var dx = new double[B * channels * H * W];
        for (long b = 0; b < B; b++)
            for (long c = 0; c < channels; c++)
                for (long p = 0; p < H; p++)
                    for (long q = 0; q < W; q++)
                    {
                        double sum = 0;
                        for (long o = depthwise ? c : 0; o < (depthwise ? c + 1 : outs); o++)
                            for (long u = 0; u < oh; u++)
                                for (long v = 0; v < ow; v++)
                                {
                                    long i = p + lowH - stride * u, j = q + lowW - stride * v;
                                    if (i >= 0 && i < k && j >= 0 && j < k)
                                        sum += g[((b * outs + o) * oh + u) * ow + v]
                                            * wd[((depthwise ? c : o * channels + c) * k + i) * k + j];
                                }
                        dx[((b * channels + c) * H + p) * W + q] = sum;
                    }
        return dx;
    }

    // ---- negative cases: a kernel called with the wrong operand or bounds is reported, naming rule and index ----

    [Fact]
    public void ThresholdBackwardMaskedByDy_IsReportedDiffering()
    {
        using var scope = NewDisposeScope();
        var (x, dy) = Draw(ScalarType.Float64, [B, C, H, W], [B, C, H, W], 3);
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertEqual("relu [mutant]", Doubles(NativeKernels.ThresholdBackward(dy, dy, 0)), Indicator(x, dy, v => v > 0),
                ScalarType.Float64));
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
        var last = Doubles(new MaxPool(2, 2, KernelStrategy.Native).Forward(new Tensor3(x.flip(2, 3).contiguous()))
            .pullback(new Tensor3(dy.flip(2, 3).contiguous())).T.flip(2, 3));
        var ex = Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertEqual("maxpool 2/2 [mutant]", last, RoutedToFirstMaximum(x, dy, 2, 2), ScalarType.Float64));
        Assert.Contains("maxpool 2/2 [mutant]", ex.Message);
    }
}
