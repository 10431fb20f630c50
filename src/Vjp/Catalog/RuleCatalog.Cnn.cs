using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Catalog;

/// <summary>Catalog entries of the CNN family: primitives (one or two per rule) and the Part-1 blocks.</summary>
public static partial class RuleCatalog
{
    static readonly long[] Kernels = [1, 2, 3, 4, 5, 7];

    static long Pick(Init init, params long[] choices) => choices[init.Int(0, choices.Length - 1)];

    static string ImageSizes(long b, long c, long h, long w, params (string, long)[] more) =>
        Sample.Sizes([("B", b), ("C", c), ("H", h), ("W", w), .. more]);

    static IEnumerable<RuleEntry> CnnEntries()
    {
        yield return new("softmax-ce", ItemId.softmaxCE_grad, "any logits; labels uniform; ε ∈ {0, 0.1, random}", init =>
        {
            long b = init.Int(1, 3), k = init.Int(2, 6);
            var labels = tensor(Enumerable.Range(0, (int)b).Select(_ => (long)init.Int(0, (int)k - 1)).ToArray());
            var smoothing = Pick(init, 0, 1, 2) switch { 0 => 0.0, 1 => 0.1, _ => 0.5 * init.Uniform() };
            return CheckCase.Of(new SoftmaxCrossEntropy(labels, smoothing), init.Point(b, k), Sample.Sizes(("B", b), ("K", k)));
        });
        yield return new("conv2d", ItemId.conv2d_has_vjp3, "any x; k ∈ {1,2,3,4,5,7}, stride 1|2, SAME, bias", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 4), o = init.Int(1, 4), h = init.Int(1, 7), w = init.Int(1, 7);
            long k = Pick(init, Kernels), s = init.Int(1, 2);
            var conv = new Conv2d(init.Point(o, c, k, k), init.Point(o), s);
            return CheckCase.Of(conv, init.Point(b, c, h, w), ImageSizes(b, c, h, w, ("O", o), ("k", k), ("s", s)));
        }, Runs: 10);
        yield return new("depthwise", ItemId.depthwise_has_vjp3, "any x; k ∈ {1,2,3,4,5,7}, stride 1|2, SAME, bias", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = init.Int(1, 7), w = init.Int(1, 7);
            long k = Pick(init, Kernels), s = init.Int(1, 2);
            var conv = new Conv2d(init.Point(c, 1, k, k), init.Point(c), s, depthwise: true);
            return CheckCase.Of(conv, init.Point(b, c, h, w), ImageSizes(b, c, h, w, ("k", k), ("s", s)));
        }, Runs: 10);
        // The pool under Auto, then under each forced strategy.
        foreach (var strategy in Enum.GetValues<KernelStrategy>())
            yield return MaxPoolEntry(strategy);
        yield return new("global-avg-pool", ItemId.pdiv_finset_sum, "any x", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = init.Int(1, 7), w = init.Int(1, 7);
            return CheckCase.Of(Pooling.GlobalAvgPool(), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("avg-pool-2", ItemId.pdiv_finset_sum, "any x; H and W even", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = 2 * init.Int(1, 4), w = 2 * init.Int(1, 4);
            return CheckCase.Of(Pooling.AvgPool2(), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("flatten", ItemId.pdiv_reindex, "any x", init =>
            CheckCase.Of(Pooling.Flatten(), init.Point(init.Int(1, 3), init.Int(1, 5), init.Int(1, 4), init.Int(1, 4))));
        foreach (var (id, rule, kinks) in ElementwiseRules())
            yield return new(id, rule.Item, kinks.Length == 0 ? "any x" : $"x at least 0.05 from {string.Join(", ", kinks)}", init =>
                CheckCase.Of(rule, init.AwayFrom(kinks, 0.05, 3, init.Int(1, 3), init.Int(1, 4), init.Int(1, 4), init.Int(1, 4))));
        foreach (var entry in BatchNormEntries()) yield return entry;
        foreach (var entry in CompositionEntries()) yield return entry;
    }

    static RuleEntry MaxPoolEntry(KernelStrategy strategy) => new(
        strategy == KernelStrategy.Auto ? "maxpool" : $"maxpool-{KernelStrategies.Name(strategy)}", ItemId.maxPool2_has_vjp3,
        "distinct entries 0.01 apart (no ties); size/stride 2/2, 3/2, 3/1"
        + (strategy == KernelStrategy.Auto ? "" : $"; {KernelStrategies.Name(strategy)} (forced)"), init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = init.Int(1, 7), w = init.Int(1, 7);
            var (size, stride) = Pick(init, 0, 1, 2) switch { 0 => (2L, 2L), 1 => (3L, 2L), _ => (3L, 1L) };
            return CheckCase.Of(new MaxPool(size, stride, strategy), init.Distinct(0.01, b, c, h, w),
                ImageSizes(b, c, h, w, ("size", size), ("s", stride)));
        });

    // ReLU and ReLU6 run Auto (the native kernel) in "relu-3" and "relu6"; the "-composed" and "-native" entries force each
    // strategy (KernelStrategy).
    static IEnumerable<(string id, HasVjp<Tensor3, Tensor3> rule, double[] kinks)> ElementwiseRules() =>
    [
        ("relu-3", Activations.Relu<Tensor3>(), [0]),
        .. Strategies.Forced<KernelStrategy>()
            .Select(s => ($"relu-{KernelStrategies.Name(s)}", Activations.Relu<Tensor3>(s), new double[] { 0 })),
        ("sigmoid", Activations.Sigmoid<Tensor3>(), []),
        ("swish", Activations.Swish<Tensor3>(), []),
        ("relu6", Activations.Relu6<Tensor3>(), [0, 6]),
        .. Strategies.Forced<KernelStrategy>()
            .Select(s => ($"relu6-{KernelStrategies.Name(s)}", Activations.Relu6<Tensor3>(s), new double[] { 0, 6 })),
        ("hard-swish", Activations.HardSwish<Tensor3>(), [-3, 3]),
        ("hard-sigmoid", Activations.HardSigmoid<Tensor3>(), [-3, 3]),
    ];

    // BN statistics over N = B·H·W ≥ 6 entries keep the variance away from 0, where s = 1/√(σ²+ε) is steep.
    static (long b, long c, long h, long w) BnSizes(Init init)
    {
        while (true)
        {
            long b = init.Int(1, 3), c = init.Int(1, 4), h = init.Int(1, 5), w = init.Int(1, 5);
            if (b * h * w >= 6) return (b, c, h, w);
        }
    }

    static IEnumerable<RuleEntry> BatchNormEntries()
    {
        const string domain = "x ~ N(0,1), N = B·H·W ≥ 6";
        yield return new("bn-normalize", ItemId.bnNormalize_has_vjp, domain, init =>
        {
            var (b, c, h, w) = BnSizes(init);
            return CheckCase.Of(new BnNormalize(c), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("bn-affine", ItemId.bnAffine_has_vjp, "any x, γ, β", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = init.Int(1, 4), w = init.Int(1, 4);
            return CheckCase.Of(new BnAffine(init.Point(c), init.Point(c)), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("bn-centered", ItemId.pdiv_bnCentered, "any x", init =>
        {
            var (b, c, h, w) = BnSizes(init);
            return CheckCase.Of(new BnCentered(), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("bn-istd-broadcast", ItemId.pdiv_bnIstdBroadcast, domain, init =>
        {
            var (b, c, h, w) = BnSizes(init);
            return CheckCase.Of(new BnIstdBroadcast(), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        yield return new("batchnorm", ItemId.bn_has_vjp, domain + "; training mode", init =>
        {
            var (b, c, h, w) = BnSizes(init);
            return CheckCase.Of(new BatchNorm(init.Point(c), init.Point(c)), init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
        // The training step under each forced strategy (the entry above runs Auto, the native kernel).
        foreach (var strategy in Enum.GetValues<BnStrategy>().Where(s => s != BnStrategy.Auto))
            yield return new($"batchnorm-{BnStrategies.Name(strategy)}", ItemId.bn_has_vjp,
                $"{domain}; training mode, {BnStrategies.Name(strategy)} (forced)", init =>
            {
                var (b, c, h, w) = BnSizes(init);
                return CheckCase.Of(new BatchNorm(init.Point(c), init.Point(c), strategy: strategy), init.Point(b, c, h, w),
                    ImageSizes(b, c, h, w));
            });
        yield return new("batchnorm-eval", ItemId.bn_has_vjp, "any x; running stats from one training step, variance ≥ 0.5", init =>
        {
            long b = init.Int(1, 3), c = init.Int(1, 5), h = init.Int(1, 4), w = init.Int(1, 4);
            var bn = new BatchNorm(init.Point(c), init.Point(c)) { Training = false };
            bn.Normalize.SetRunningStats(init.Point(c), init.Point(c).abs().Add(0.5), 1);
            return CheckCase.Of(bn, init.Point(b, c, h, w), ImageSizes(b, c, h, w));
        });
    }
}
