using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// Consistency check, not evidence for the formula: the conv rule's float32 weight cotangent against the same rule in
/// float64 (the ledger lists it as kind consistency), with libtorch's CPU defaults (oneDNN on,
/// as the trainer runs). The shapes are ones where the rule's former formulation — a correlation with a kernel the size
/// of the image and the batch as its channels — came out of libtorch 2.10's oneDNN 12 % to 86 % wrong (or NaN) on this
/// project's AVX-512 CPU, at one thread and at two.
/// </summary>
public class ConvolutionFloat32Tests
{
    /// <summary>
    /// The five shapes oneDNN got wrong, under the rule's default (Auto: libtorch's kernel for k ≥ 2, the pointwise GEMM
    /// for 1×1), forced to libtorch's kernel and forced to the forward correlation, which is that former formulation
    /// (k 1 included: it is not the 1×1 shortcut).
    /// </summary>
    public static TheoryData<ConvWeightStrategy, long, long, long, long, long, long> OneDnnShapes()
    {
        long[][] shapes = [[1, 1, 2, 40, 32, 14], [3, 1, 20, 16, 16, 14], [3, 2, 24, 8, 4, 14], [5, 1, 24, 16, 24, 14],
            [7, 2, 24, 16, 64, 14]];
        var data = new TheoryData<ConvWeightStrategy, long, long, long, long, long, long>();
        foreach (var strategy in new[] { ConvWeightStrategy.Auto, ConvWeightStrategy.Native, ConvWeightStrategy.ForwardCorrelation })
            foreach (var s in shapes) data.Add(strategy, s[0], s[1], s[2], s[3], s[4], s[5]);
        return data;
    }

    [Theory]
    [MemberData(nameof(OneDnnShapes))]
    [Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Consistency)]
    public void Consistency_Conv2dFloat32WeightCotangent_EqualsItsFloat64WithOneDnnOn(ConvWeightStrategy strategy, long k,
        long stride, long batch, long inC, long outC, long side)
    {
        using var scope = NewDisposeScope();
        var relative = Float32Error(k, stride, batch, inC, outC, side, weight: strategy);
        Assert.True(relative < Bound, $"{strategy} k{k} s{stride} batch {batch}: float32 dW off by {relative:E2} relative");
    }

    // Seeded random shapes (kernels 1–7, strides 1–2, few and many channels) against the rule's float64 patch GEMM: the
    // sweep that found oneDNN's fault, 40 shapes up to batch 128 with the forward correlation forced; and libtorch's
    // kernel (Auto for k ≥ 2), 20 shapes up to batch 64.
    [Theory]
    [InlineData(ConvWeightStrategy.ForwardCorrelation, 3, 40, 128)]
    [InlineData(ConvWeightStrategy.Native, 4, 20, 64)]
    [Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Consistency)]
    public void Consistency_Float32_OnARandomSweep_EqualsFloat64(ConvWeightStrategy strategy, int seed, int count, int maxBatch)
    {
        var bad = Sweep(seed, count, Bound, random =>
        {
            long k = random.Next(1, 8), s = random.Next(1, 3), b = random.Next(1, maxBatch + 1), c = random.Next(1, 65),
                o = random.Next(1, 65), side = random.Next(4, 33);
            return ($"k{k} s{s} b{b} c{c} o{o} side {side}", Float32Error(k, s, b, c, o, side, weight: strategy));
        });
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }

    [Fact]
    public void AWeightCotangentOffByOnePartInTenThousand_IsCaught()
    {
        using var scope = NewDisposeScope();
        var relative = Float32Error(3, 1, 20, 16, 16, 14, single => single.Mul(1.0001));
        Assert.True(relative > Bound, $"a 1.0001× float32 dW gave only {relative:E2}");
    }

    /// <summary>
    /// "shape: error" for each of <paramref name="count"/> seeded draws whose relative error is not under
    /// <paramref name="bound"/> (NaN included); each draw runs in its own dispose scope.
    /// </summary>
    internal static List<string> Sweep(int seed, int count, double bound, Func<Random, (string Shape, double Relative)> draw)
    {
        var random = new Random(seed);
        var bad = new List<string>();
        for (int t = 0; t < count; t++)
        {
            using var scope = NewDisposeScope();
            var (shape, relative) = draw(random);
            if (!(relative < bound)) bad.Add($"{shape}: {relative:E2}");
        }
        return bad;
    }

    /// <summary>float32 rounding of sums of batch·side² products: measured 1.7e-7 to 2.3e-7 here.</summary>
    const double Bound = 1e-5;

    /// <summary>
    /// max |dW₃₂ − dW₆₄| / max |dW₆₄| of the rule at one shape (seeded x, W, dy); <paramref name="alter"/> spoils the
    /// float32 side.
    /// </summary>
    static double Float32Error(long k, long stride, long batch, long inC, long outC, long side, Func<Tensor, Tensor>? alter = null,
        ConvWeightStrategy weight = ConvWeightStrategy.Auto)
    {
        var g = new Generator(5);
        var x = randn([batch, inC, side, side], generator: g);
        var w = randn([outC, inC, k, k], generator: g);
        long outSide = (side + stride - 1) / stride;
        var dy = randn([batch, outC, outSide, outSide], generator: g);

        Tensor WeightCotangent(ScalarType dtype)
        {
            // float64 is the patch GEMM, so the forced form is held to a different formulation.
            var rule = new Conv2d(w.to(dtype), null, stride,
                weightStrategy: dtype == ScalarType.Float64 ? ConvWeightStrategy.Patches : weight);
            var (_, pullback) = rule.Forward(new Tensor3(x.to(dtype)));
            pullback(new Tensor3(dy.to(dtype)));
            return rule.W.Grad;
        }
        var exact = WeightCotangent(ScalarType.Float64);
        var single = WeightCotangent(ScalarType.Float32).to(ScalarType.Float64);
        if (alter is not null) single = alter(single);
        return (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
    }
}

/// <summary>
/// Consistency check, not evidence for the formula: the per-offset depthwise weight cotangent (the form the rule takes
/// off the CPU) equals the rule's other forms (the grouped correlation, libtorch's kernel that Auto takes on the CPU),
/// float64, at sizes past the catalog's; and libtorch's kernel in float32, with oneDNN on as the trainer runs it (oneDNN
/// once got a float32 conv form wrong here: docs/notes/onednn.md), equals the per-offset form in float64 on a sweep, and
/// libtorch's depthwise dx kernel in float32 equals the dilated correlation in float64 on another. Each form is checked against central
/// differences and autograd by the property and oracle suites, which force it (<see cref="ConvWeightStrategy"/>).
/// </summary>
public class DepthwiseWeightCotangentTests
{
    [Theory]
    [InlineData(3, 1, 14, ConvWeightStrategy.GroupedCorrelation)]
    [InlineData(3, 2, 15, ConvWeightStrategy.GroupedCorrelation)]
    [InlineData(5, 2, 14, ConvWeightStrategy.GroupedCorrelation)]
    [InlineData(3, 1, 14, ConvWeightStrategy.Native)]
    [InlineData(3, 2, 15, ConvWeightStrategy.Native)]
    [InlineData(5, 2, 14, ConvWeightStrategy.Native)]
    [InlineData(4, 2, 16, ConvWeightStrategy.Native)]
    [Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Consistency)]
    public void Consistency_ByOffsetsEqualsTheRulesOtherForms(long k, long stride, long side, ConvWeightStrategy weight)
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu((int)(k * 100 + stride * 10 + side));
        var rule = new Conv2d(init.He([6, 1, k, k], k * k), null, stride, depthwise: true, weightStrategy: weight);
        var x = init.Point(3, 6, side, side);
        var (y, pullback) = rule.Forward(new Tensor3(x));
        var dy = init.Point(y.T.shape);
        pullback(new Tensor3(dy));
        var pad = SamePadding.For(side, k, stride);
        var xp = nn.functional.pad(x, [pad.Low, pad.High, pad.Low, pad.High]);
        var byOffsets = Conv2d.DepthwiseWeightCotangentByOffsets(xp, dy, k, k, stride);
        var relative = (byOffsets - rule.W.Grad).abs().max().item<double>() / rule.W.Grad.abs().max().item<double>();
        Assert.True(relative < 1e-13, $"{weight} k{k} s{stride}: {relative:E2}");
        // Negative: the offsets read one row off give another tensor.
        var shifted = Conv2d.DepthwiseWeightCotangentByOffsets(
            xp.narrow(2, 1, xp.shape[2] - 1), dy.narrow(2, 0, dy.shape[2] - 1), k, k, stride);
        Assert.True((shifted - rule.W.Grad).abs().max().item<double>() > 1e-3);
    }

    // libtorch's depthwise kernel (Auto on the CPU) in float32 with oneDNN on, against the float64 per-offset form:
    // 30 seeded shapes (kernels 1–7, strides 1–2, batches 1–16, channels 1–96, sides 4–40, odd sides for SAME's
    // asymmetric padding).
    [Fact]
    [Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Consistency)]
    public void Consistency_NativeFloat32_OnARandomSweep_EqualsFloat64ByOffsets()
    {
        var bad = ConvolutionFloat32Tests.Sweep(7, 30, Float32Bound, random =>
        {
            long k = random.Next(1, 8), s = random.Next(1, 3), b = random.Next(1, 17), c = random.Next(1, 97),
                side = random.Next(4, 41);
            return ($"k{k} s{s} b{b} c{c} side {side}", NativeFloat32Error(k, s, b, c, side));
        });
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }

    // libtorch's depthwise dx kernel (Auto on the CPU at stride ≥ 2) in float32 with oneDNN on, cropped to x, against
    // the float64 dilated correlation: 30 seeded shapes (kernels 1–7, strides 1–2, batches 1–16, channels 1–96, sides
    // 4–40, odd sides for SAME's asymmetric padding).
    [Fact]
    [Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Consistency)]
    public void Consistency_NativeDxFloat32_OnARandomSweep_EqualsFloat64DilatedCorrelation()
    {
        var random = new Random(13);
        var bad = new List<string>();
        for (int t = 0; t < 30; t++)
        {
            using var scope = NewDisposeScope();
            long k = random.Next(1, 8), s = random.Next(1, 3), b = random.Next(1, 17), c = random.Next(1, 97),
                side = random.Next(4, 41);
            var relative = NativeDxFloat32Error(k, s, b, c, side);
            if (!(relative < Float32Bound)) bad.Add($"k{k} s{s} b{b} c{c} side {side}: {relative:E2}");
        }
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }

    // The full conv's dx kernel (Auto at stride ≥ 2 where windows overlap) likewise: 20 seeded shapes, O from 1 to 64.
    [Fact]
    [Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Consistency)]
    public void Consistency_FullConvNativeDxFloat32_OnARandomSweep_EqualsFloat64DilatedCorrelation()
    {
        var bad = ConvolutionFloat32Tests.Sweep(19, 20, Float32Bound, random =>
        {
            long k = random.Next(1, 8), s = random.Next(1, 3), b = random.Next(1, 17), c = random.Next(1, 65),
                o = random.Next(1, 65), side = random.Next(4, 41);
            return ($"k{k} s{s} b{b} c{c} o{o} side {side}", NativeDxFloat32Error(k, s, b, c, side, outs: o));
        });
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }

    [Fact]
    public void ANativeFloat32DxOffByOnePartInTenThousand_IsCaught()
    {
        using var scope = NewDisposeScope();
        var relative = NativeDxFloat32Error(3, 2, 8, 32, 15, single => single.Mul(1.0001));
        Assert.True(relative > Float32Bound, $"a 1.0001× float32 dx gave only {relative:E2}");
    }

    // Depthwise unless outs is given: then a full conv channels → outs.
    static double NativeDxFloat32Error(long k, long stride, long batch, long channels, long side, Func<Tensor, Tensor>? alter = null,
        long? outs = null)
    {
        var (x, w, dy) = DepthwiseCase(17, k, stride, batch, channels, side, outs);
        Tensor Dx(Tensor w0, Tensor x0, Tensor dy0, ConvInputStrategy strategy)
        {
            var rule = new Conv2d(w0, null, stride, depthwise: outs is null, inputStrategy: strategy);
            var (_, pullback) = rule.Forward(new Tensor3(x0));
            return pullback(new Tensor3(dy0)).T;
        }
        var single = Dx(w.to_type(ScalarType.Float32), x.to_type(ScalarType.Float32), dy.to_type(ScalarType.Float32),
            ConvInputStrategy.Native).to_type(ScalarType.Float64);
        if (alter is not null) single = alter(single);
        var exact = Dx(w, x, dy, ConvInputStrategy.DilatedCorrelation);
        return (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
    }

    /// <summary>
    /// A seeded float64 case: x [B, C, side, side], kernel [C, 1, k, k] (or [O, C, k, k] when <paramref name="outs"/> is
    /// given), dy at SAME's output size.
    /// </summary>
    static (Tensor X, Tensor W, Tensor Dy) DepthwiseCase(int seed, long k, long stride, long batch, long channels, long side,
        long? outs = null)
    {
        var g = new Generator((ulong)seed);
        var x = randn([batch, channels, side, side], dtype: ScalarType.Float64, generator: g);
        var w = randn(outs is { } o ? [o, channels, k, k] : [channels, 1, k, k], dtype: ScalarType.Float64, generator: g);
        long outSide = (side + stride - 1) / stride;
        return (x, w, randn([batch, outs ?? channels, outSide, outSide], dtype: ScalarType.Float64, generator: g));
    }

    /// <summary>float32 rounding of sums of up to 16·20² products, as for the full conv's bound.</summary>
    const double Float32Bound = 1e-5;

    static double NativeFloat32Error(long k, long stride, long batch, long channels, long side, Func<Tensor, Tensor>? alter = null)
    {
        var (x, w, dy) = DepthwiseCase(11, k, stride, batch, channels, side);
        var rule = new Conv2d(w.to_type(ScalarType.Float32), null, stride, depthwise: true, weightStrategy: ConvWeightStrategy.Native);
        var (_, pullback) = rule.Forward(new Tensor3(x.to_type(ScalarType.Float32)));
        pullback(new Tensor3(dy.to_type(ScalarType.Float32)));
        var single = rule.W.Grad.to_type(ScalarType.Float64);
        if (alter is not null) single = alter(single);
        var pad = SamePadding.For(side, k, stride);
        var xp = nn.functional.pad(x, [pad.Low, pad.High, pad.Low, pad.High]);
        var exact = Conv2d.DepthwiseWeightCotangentByOffsets(xp, dy, k, k, stride);
        return (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
    }
}
