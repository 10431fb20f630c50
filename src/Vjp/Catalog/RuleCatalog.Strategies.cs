using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>
/// A catalog entry that runs the conv rule with its strategies forced (<see cref="ConvWeightStrategy"/>,
/// <see cref="ConvInputStrategy"/>): the CUDA-only and size-only paths run on the CPU under the property suite.
/// <paramref name="Draw"/> gives (k, stride) inside the geometry where both strategies apply.
/// </summary>
public sealed record ConvStrategyEntry(string Id, bool Depthwise, ConvWeightStrategy Weight, ConvInputStrategy Input,
    string Geometry, Func<Init, (long K, long Stride)> Draw, long MinBatch = 1);

// The conv rule under each forced strategy. The plain conv2d and depthwise entries (RuleCatalog.Cnn.cs) run Auto (mostly
// libtorch's kernels, ConvStrategies.ResolveWeight and ResolveInput); these entries force every member, our own forms
// among them.
public static partial class RuleCatalog
{
    /// <summary>Every forced-strategy entry; a test requires each strategy that applies to a kind to appear here.</summary>
    public static IReadOnlyList<ConvStrategyEntry> ConvStrategyEntries { get; } =
    [
        new("conv2d-pointwise", false, ConvWeightStrategy.Pointwise, ConvInputStrategy.Scatter, "k 1, stride 1", _ => (1, 1)),
        new("conv2d-patches", false, ConvWeightStrategy.Patches, ConvInputStrategy.PaddedCorrelation, "k ∈ {1,3,5,7}, stride 1",
            init => (Pick(init, 1, 3, 5, 7), 1)),
        // Batches of 3–5 at two images a chunk: several chunks, the last one partial for odd batches.
        new("conv2d-patches-chunked", false, ConvWeightStrategy.PatchesChunked, ConvInputStrategy.DilatedCorrelation,
            "k ∈ {1,2,3,4,5,7}, stride 1|2, batch 3–5", init => (Pick(init, Kernels), init.Int(1, 2)), MinBatch: 3),
        // Even kernels and stride 2: SAME's asymmetric padding, and k′ > k to narrow away.
        new("conv2d-forward-correlation", false, ConvWeightStrategy.ForwardCorrelation, ConvInputStrategy.DilatedCorrelation,
            "k ∈ {1,2,3,4,5,7}, stride 1|2", init => (Pick(init, Kernels), init.Int(1, 2))),
        new("depthwise-grouped", true, ConvWeightStrategy.GroupedCorrelation, ConvInputStrategy.Scatter,
            "k ∈ {1,2,3}, stride k|k+1", NonOverlapping),
        new("depthwise-per-offset", true, ConvWeightStrategy.PerOffset, ConvInputStrategy.DilatedCorrelation,
            "k ∈ {1,2,3,4,5,7}, stride 1|2", init => (Pick(init, Kernels), init.Int(1, 2))),
        // libtorch's kernel on the explicitly padded xp (even kernels, stride 2) and on x with its own padding (odd, stride 1).
        new("depthwise-native", true, ConvWeightStrategy.Native, ConvInputStrategy.DilatedCorrelation,
            "k ∈ {1,2,3,4,5,7}, stride 1|2", init => (Pick(init, Kernels), init.Int(1, 2))),
        // libtorch's dx kernel on xp (even kernels, stride 2: cropped to x) and on x with its own padding (odd, stride 1);
        // batches from 2, so a dx from one image only differs (its mutant).
        new("depthwise-native-dx", true, ConvWeightStrategy.Native, ConvInputStrategy.Native,
            "k ∈ {1,2,3,4,5,7}, stride 1|2, batch 2–4", init => (Pick(init, Kernels), init.Int(1, 2)), MinBatch: 2),
        // libtorch's kernels for the full conv: dW at every geometry (Auto's choice for k ≥ 2), on xp (even kernels,
        // stride 2) and on x with conv2d's own padding (odd, stride 1); dx likewise, batches from 2 so that a dx from one
        // image only differs (its mutant).
        new("conv2d-native", false, ConvWeightStrategy.Native, ConvInputStrategy.DilatedCorrelation,
            "k ∈ {1,2,3,4,5,7}, stride 1|2", init => (Pick(init, Kernels), init.Int(1, 2))),
        new("conv2d-native-dx", false, ConvWeightStrategy.Native, ConvInputStrategy.Native,
            "k ∈ {1,2,3,4,5,7}, stride 1|2, batch 2–4", init => (Pick(init, Kernels), init.Int(1, 2)), MinBatch: 2),
        // The phase split at strides 2 and 3: sub-kernels of unequal sizes (k = 3, 5, 7 at s 2), phases past the kernel
        // left 0 (k = 2 at s 3), even kernels' asymmetric SAME crop.
        new("conv2d-phase-correlation", false, ConvWeightStrategy.Patches, ConvInputStrategy.PhaseCorrelation,
            "k ∈ {2,3,4,5,7}, stride 2|3", init => (Pick(init, 2, 3, 4, 5, 7), init.Int(2, 3))),
        new("depthwise-phase-correlation", true, ConvWeightStrategy.GroupedCorrelation, ConvInputStrategy.PhaseCorrelation,
            "k ∈ {2,3,4,5,7}, stride 2|3", init => (Pick(init, 2, 3, 4, 5, 7), init.Int(2, 3))),
        new("depthwise-per-offset-padded", true, ConvWeightStrategy.PerOffset, ConvInputStrategy.PaddedCorrelation,
            "k ∈ {1,3,5,7}, stride 1", init => (Pick(init, 1, 3, 5, 7), 1)),
    ];

    static (long, long) NonOverlapping(Init init)
    {
        long k = Pick(init, 1, 2, 3);
        return (k, k + init.Int(0, 1));
    }

    static IEnumerable<RuleEntry> StrategyEntries() => ConvStrategyEntries.Select(e => new RuleEntry(e.Id,
        e.Depthwise ? ItemId.depthwise_has_vjp3 : ItemId.conv2d_has_vjp3,
        $"any x; {e.Geometry}, SAME, bias; dW {ConvStrategies.Name(e.Weight)}, dx {ConvStrategies.Name(e.Input)} (forced)", init =>
        {
            long b = init.Int((int)e.MinBatch, (int)e.MinBatch + 2), c = init.Int(1, 4), h = init.Int(1, 7), w = init.Int(1, 7);
            var (k, s) = e.Draw(init);
            long o = e.Depthwise ? c : init.Int(1, 4);
            var conv = new Conv2d(init.Point(o, e.Depthwise ? 1 : c, k, k), init.Point(o), s, e.Depthwise,
                weightStrategy: e.Weight, inputStrategy: e.Input);
            return CheckCase.Of(conv, init.Point(b, c, h, w), ImageSizes(b, c, h, w, ("O", o), ("k", k), ("s", s)));
        }, Runs: 8));
}
