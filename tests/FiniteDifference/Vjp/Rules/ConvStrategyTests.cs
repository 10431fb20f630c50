using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Rules;

/// <summary>
/// The conv rule's strategies (principle 7): every member of <see cref="ConvWeightStrategy"/> and
/// <see cref="ConvInputStrategy"/> but Auto is forced by a catalog entry for each kind it applies to, so the property
/// suite runs it on the CPU (the oracle suite enumerates the enums itself); Auto resolves as training always has.
/// </summary>
public class ConvStrategyTests
{
    // (k, stride) pairs wide enough that every strategy applies at one of them.
    static readonly (long K, long S)[] Geometries = [(1, 1), (2, 1), (3, 1), (3, 2), (2, 2), (2, 3), (5, 2)];

    static readonly bool[] Kinds = [false, true];

    static string Kind(bool depthwise) => depthwise ? "depthwise" : "conv2d";

    /// <summary>"(kind, strategy)" for each strategy that applies to a kind and that no entry forces there.</summary>
    static List<string> Uncovered(IReadOnlyList<ConvStrategyEntry> entries)
    {
        var missing = new List<string>();
        foreach (var depthwise in Kinds)
        {
            foreach (var s in Enum.GetValues<ConvWeightStrategy>().Where(s => s != ConvWeightStrategy.Auto))
                if (Geometries.Any(g => ConvStrategies.Applies(s, depthwise, g.K, g.K, g.S))
                    && !entries.Any(e => e.Depthwise == depthwise && e.Weight == s))
                    missing.Add($"({Kind(depthwise)}, dW {s})");
            foreach (var s in Enum.GetValues<ConvInputStrategy>().Where(s => s != ConvInputStrategy.Auto))
                if (Geometries.Any(g => ConvStrategies.Applies(s, depthwise, g.K, g.K, g.S))
                    && !entries.Any(e => e.Depthwise == depthwise && e.Input == s))
                    missing.Add($"({Kind(depthwise)}, dx {s})");
        }
        return missing;
    }

    [Fact]
    public void EveryStrategy_IsForcedByACatalogEntryForEachKindItAppliesTo()
    {
        var missing = Uncovered(RuleCatalog.ConvStrategyEntries);
        Assert.True(missing.Count == 0,
            "strategies no catalog entry forces (add one to RuleCatalog.Strategies.cs): " + string.Join(", ", missing));
    }

    [Fact]
    public void ACatalogWithoutThePerOffsetEntries_IsReportedMissingItAndTheInputStrategiesTheyForced()
    {
        var partial = RuleCatalog.ConvStrategyEntries.Where(e => e.Weight != ConvWeightStrategy.PerOffset).ToList();
        // The native entry forces the dilated dx as well, so only the padded one is left uncovered.
        Assert.Equal(["(depthwise, dW PerOffset)", "(depthwise, dx PaddedCorrelation)"], Uncovered(partial));
    }

    [Fact]
    public void ACatalogWithoutTheNativeEntries_IsReportedMissingLibtorchsKernelsForBothKinds() =>
        // Both native entries of a kind force the native dW (the -dx entry runs it beside the native dx, as Auto does).
        Assert.Equal(["(conv2d, dW Native)", "(conv2d, dx Native)", "(depthwise, dW Native)", "(depthwise, dx Native)"],
            Uncovered([.. RuleCatalog.ConvStrategyEntries.Where(e => e.Weight != ConvWeightStrategy.Native)]));

    [Fact]
    public void EveryStrategyEntry_BuildsARuleThatRunsItsForcedStrategies()
    {
        using var scope = NewDisposeScope();
        foreach (var e in RuleCatalog.ConvStrategyEntries)
            for (int seed = 0; seed < 5; seed++)
            {
                var label = RuleCatalog.Get(e.Id).Build(Init.Float64Cpu(seed)).Derivation.Label;
                Assert.Contains($"[dW {ConvStrategies.Name(e.Weight)}, dx {ConvStrategies.Name(e.Input)}]", label);
            }
    }

    // libtorch's kernel for depthwise convs and full convs with k ≥ 2 on every device; our GEMMs for 1×1 kernels, the
    // strided ones chunked on the CPU and whole on CUDA.
    [Theory]
    [InlineData(false, 1, 1, DeviceType.CPU, ConvWeightStrategy.Pointwise)]
    [InlineData(false, 1, 1, DeviceType.CUDA, ConvWeightStrategy.Pointwise)]
    [InlineData(false, 1, 2, DeviceType.CPU, ConvWeightStrategy.PatchesChunked)]
    [InlineData(false, 1, 2, DeviceType.CUDA, ConvWeightStrategy.Patches)]
    [InlineData(false, 3, 1, DeviceType.CPU, ConvWeightStrategy.Native)]
    [InlineData(false, 2, 1, DeviceType.CPU, ConvWeightStrategy.Native)]
    [InlineData(false, 7, 2, DeviceType.CPU, ConvWeightStrategy.Native)]
    [InlineData(false, 3, 2, DeviceType.CUDA, ConvWeightStrategy.Native)]
    [InlineData(true, 1, 1, DeviceType.CPU, ConvWeightStrategy.Native)]
    [InlineData(true, 3, 1, DeviceType.CPU, ConvWeightStrategy.Native)]
    [InlineData(true, 3, 2, DeviceType.CUDA, ConvWeightStrategy.Native)]
    public void AutoWeightStrategy_IsLibtorchsKernelExceptFor1x1FullConvs(bool depthwise, long k, long stride, DeviceType device,
        ConvWeightStrategy expected)
    {
        var (strategy, _) = ConvStrategies.ResolveWeight(ConvWeightStrategy.Auto, depthwise, k, k, stride, device, 1000, 32);
        Assert.Equal(expected, strategy);
    }

    [Theory]
    [InlineData(1 << 20, 32, 4)] // ResNet-sized images: the 4 MiB budget holds four
    [InlineData(10, 3, 3)] // small images: the whole batch in one chunk
    [InlineData(64 << 20, 8, 1)] // one image over budget: one per chunk
    public void AutoChunking_OnTheCpu_HoldsAbout4MiBOfPatchesPerChunk(long perImageBytes, long batch, long images)
    {
        (ConvWeightStrategy, long) Resolve(ConvWeightStrategy s, DeviceType device) =>
            ConvStrategies.ResolveWeight(s, false, 1, 1, 2, device, perImageBytes, batch);
        Assert.Equal((ConvWeightStrategy.PatchesChunked, images), Resolve(ConvWeightStrategy.Auto, DeviceType.CPU));
        Assert.Equal((ConvWeightStrategy.Patches, batch), Resolve(ConvWeightStrategy.Auto, DeviceType.CUDA));
        Assert.Equal((ConvWeightStrategy.PatchesChunked, Math.Min(2, batch)), Resolve(ConvWeightStrategy.PatchesChunked, DeviceType.CPU));
    }

    // Stride 1: conv2d's own padding for odd kernels (1×1 too), the dilated form for even ones. Stride ≥ 2: libtorch's
    // kernel where windows overlap and for every depthwise conv, the phase split for 1×1, scatter where windows tile.
    [Theory]
    [InlineData(false, 1, 1, ConvInputStrategy.PaddedCorrelation)]
    [InlineData(false, 3, 1, ConvInputStrategy.PaddedCorrelation)]
    [InlineData(false, 2, 1, ConvInputStrategy.DilatedCorrelation)]
    [InlineData(false, 3, 2, ConvInputStrategy.Native)]
    [InlineData(false, 7, 2, ConvInputStrategy.Native)]
    [InlineData(false, 5, 3, ConvInputStrategy.Native)]
    [InlineData(false, 1, 2, ConvInputStrategy.PhaseCorrelation)]
    [InlineData(false, 2, 2, ConvInputStrategy.Scatter)]
    [InlineData(false, 4, 4, ConvInputStrategy.Scatter)]
    [InlineData(false, 2, 3, ConvInputStrategy.Scatter)]
    [InlineData(true, 3, 1, ConvInputStrategy.PaddedCorrelation)]
    [InlineData(true, 2, 1, ConvInputStrategy.DilatedCorrelation)]
    [InlineData(true, 3, 2, ConvInputStrategy.Native)]
    [InlineData(true, 1, 2, ConvInputStrategy.Native)]
    [InlineData(true, 2, 2, ConvInputStrategy.Native)]
    public void AutoInputStrategy_ResolvesByKindAndGeometry(bool depthwise, long k, long stride, ConvInputStrategy expected) =>
        Assert.Equal(expected, ConvStrategies.ResolveInput(ConvInputStrategy.Auto, depthwise, k, k, stride));

    [Fact]
    public void ACatalogWithoutTheNativeDxEntries_IsReportedMissingLibtorchsInputKernelForBothKinds() =>
        Assert.Equal(["(conv2d, dx Native)", "(depthwise, dx Native)"],
            Uncovered([.. RuleCatalog.ConvStrategyEntries.Where(e => e.Input != ConvInputStrategy.Native)]));

    [Fact]
    public void ACatalogWithoutThePhaseEntries_IsReportedMissingThePhaseSplitForBothKinds() =>
        Assert.Equal(["(conv2d, dx PhaseCorrelation)", "(depthwise, dx PhaseCorrelation)"],
            Uncovered([.. RuleCatalog.ConvStrategyEntries.Where(e => e.Input != ConvInputStrategy.PhaseCorrelation)]));

    [Fact]
    public void AStrategyThatDoesNotApply_IsRefusedNamingIt()
    {
        using var scope = NewDisposeScope();
        var w = zeros(2, 2, 3, 3, float64);
        var e = Assert.Throws<ArgumentException>(() => new Conv2d(w, null, 1, weightStrategy: ConvWeightStrategy.Pointwise));
        Assert.Contains("Pointwise", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2d(w, null, 2, inputStrategy: ConvInputStrategy.Scatter));
        Assert.Contains("Scatter", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2d(w, null, 1, inputStrategy: ConvInputStrategy.PhaseCorrelation));
        Assert.Contains("PhaseCorrelation", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2d(zeros(2, 1, 3, 3, float64), null, 1, depthwise: true,
            weightStrategy: ConvWeightStrategy.Patches));
        Assert.Contains("Patches", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2d(w, null, 2, name: "c9", weightStrategy: ConvWeightStrategy.PerOffset));
        Assert.Contains("PerOffset", e.Message);
        Assert.Contains("c9", e.Message);
    }

    /// <summary>
    /// Consistency check, not evidence for the formula: each forced strategy gives Auto's cotangents (float64, 1e-12
    /// relative) at sizes past the catalog's (batch 5, 6 channels, 13×13): the oracle and property suites compare each
    /// strategy with autograd and with central differences; this one sees that no strategy drifts from the others.
    /// </summary>
    [Theory]
    [InlineData(false, 3, 1), InlineData(false, 1, 1), InlineData(false, 4, 2), InlineData(true, 3, 1), InlineData(true, 5, 2),
     InlineData(true, 2, 2), InlineData(false, 5, 3), InlineData(false, 2, 3)]
    [Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Consistency), Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Consistency)]
    [Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Consistency)]
    [Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Consistency)]
    public void Consistency_EveryApplicableStrategyGivesAutosCotangents(bool depthwise, long k, long stride)
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu((int)(k * 10 + stride));
        long c = 6;
        var w = init.Point(c, depthwise ? 1 : c, k, k);
        var b = init.Point(c);
        var x = init.Point(5, c, 13, 13);
        long side = (13 + stride - 1) / stride;
        var dy = init.Point(5, c, side, side);
        (Tensor dx, Tensor dW) Run(ConvWeightStrategy ws, ConvInputStrategy xs)
        {
            var rule = new Conv2d(w, b, stride, depthwise, weightStrategy: ws, inputStrategy: xs);
            var (_, pullback) = rule.Forward(new Tensor3(x));
            var dx = pullback(new Tensor3(dy)).T;
            return (dx, rule.W.Grad);
        }
        var (autoDx, autoDw) = Run(ConvWeightStrategy.Auto, ConvInputStrategy.Auto);
        foreach (var ws in Enum.GetValues<ConvWeightStrategy>().Where(s => ConvStrategies.Applies(s, depthwise, k, k, stride)))
            foreach (var xs in Enum.GetValues<ConvInputStrategy>().Where(s => ConvStrategies.Applies(s, depthwise, k, k, stride)))
            {
                var (dx, dW) = Run(ws, xs);
                Assert.True(Relative(dx, autoDx) <= 1e-12, $"{ws}/{xs}: dx off Auto's by {Relative(dx, autoDx):E2}");
                Assert.True(Relative(dW, autoDw) <= 1e-12, $"{ws}/{xs}: dW off Auto's by {Relative(dW, autoDw):E2}");
            }
    }

    static double Relative(Tensor a, Tensor b) => (a - b).abs().max().item<double>() / Math.Max(1e-300, b.abs().max().item<double>());
}
