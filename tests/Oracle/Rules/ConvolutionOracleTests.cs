using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// Conv2d and depthwise conv with SAME padding against libtorch's conv2d on an explicitly padded input. The cases
/// cover odd and even kernels, stride 1 and 2, and odd sizes where stride 2 pads asymmetrically (low ⌊P/2⌋).
/// float32 bound: 4·eps32·√n, n = B·H·W (the weight cotangent's reduction, the longest). Every strategy of the rule
/// (<see cref="ConvWeightStrategy"/>, <see cref="ConvInputStrategy"/>) runs here forced on the CPU as well.
/// </summary>
[Collection(OracleCollection.Name)]
public class ConvolutionOracleTests(ITestOutputHelper output)
{
    const long Batch = 3, Ic = 3, Oc = 4;

    public static TheoryData<long, long, long> Geometries => new()
    {
        { 3, 1, 7 }, { 3, 2, 7 }, { 2, 1, 6 }, { 2, 2, 7 }, { 5, 2, 6 }, { 1, 2, 5 }, { 3, 2, 8 },
        // stride ≥ k (the scatter form of dx): patch-embedding-like 4×4/4, a stride past the kernel, an uncovered tail
        { 4, 4, 16 }, { 2, 3, 7 }, { 1, 3, 8 },
    };

    static OracleCase<Tensor3, Tensor3> ConvCase(Init init, long k, long stride, long size) =>
        new(new Conv2d(init.Normal([Oc, Ic, k, k], 0.4), init.Normal([Oc]), stride),
            (x, p) => TwinOps.Conv2d(x, p[0], p[1], stride), new Tensor3(init.Point(Batch, Ic, size, size)));

    static OracleCase<Tensor3, Tensor3> DepthwiseCase(Init init, long k, long stride, long size) =>
        new(new Conv2d(init.Normal([Oc, 1, k, k], 0.4), init.Normal([Oc]), stride, depthwise: true),
            (x, p) => TwinOps.Depthwise(x, p[0], p[1], stride), new Tensor3(init.Point(Batch, Oc, size, size)));

    void Check(Func<Init, OracleCase<Tensor3, Tensor3>> build, long size, string tensor)
    {
        var (f64, f32) = OracleHarness.Check(build, c: 4, n: Batch * size * size, output);
        Assert.True(f64.Get(tensor).Within(OracleHarness.Float64Bound), f64.Get(tensor).ToString());
        Assert.True(f32.Get(tensor).Finite, f32.Get(tensor).ToString());
    }

    // (k, stride, size) for the forced strategies: each applies at one of them at least (ConvStrategies.Applies).
    static readonly (long K, long S, long Size)[] StrategyGeometries =
        [(1, 1, 5), (3, 1, 7), (2, 1, 6), (3, 2, 7), (5, 2, 6), (4, 4, 16), (2, 3, 7)];

    /// <summary>
    /// Every strategy but Auto of both enums (enumerated, so a new member joins), on each kind and geometry where it
    /// applies; the batch of 3 runs the forced chunked GEMM as a chunk of two images and one of one.
    /// </summary>
    public static TheoryData<bool, ConvWeightStrategy, ConvInputStrategy, long, long, long> Strategies()
    {
        var data = new TheoryData<bool, ConvWeightStrategy, ConvInputStrategy, long, long, long>();
        foreach (var depthwise in new[] { false, true })
            foreach (var (k, s, size) in StrategyGeometries)
            {
                foreach (var w in Enum.GetValues<ConvWeightStrategy>().Where(w => w != ConvWeightStrategy.Auto))
                    if (ConvStrategies.Applies(w, depthwise, k, k, s)) data.Add(depthwise, w, ConvInputStrategy.Auto, k, s, size);
                foreach (var x in Enum.GetValues<ConvInputStrategy>().Where(x => x != ConvInputStrategy.Auto))
                    if (ConvStrategies.Applies(x, depthwise, k, k, s)) data.Add(depthwise, ConvWeightStrategy.Auto, x, k, s, size);
            }
        return data;
    }

    [Fact]
    public void EveryStrategy_HasAnOracleCase()
    {
        // A member that applies at none of StrategyGeometries would be skipped silently: this fails instead.
        var cases = Strategies().Select(row => ((bool)row[0], (ConvWeightStrategy)row[1], (ConvInputStrategy)row[2])).ToList();
        foreach (var w in Enum.GetValues<ConvWeightStrategy>().Where(w => w != ConvWeightStrategy.Auto))
            Assert.True(cases.Any(c => c.Item2 == w), $"weight strategy {w} has no oracle case: add a geometry where it applies");
        foreach (var depthwise in new[] { false, true })
            // Each input strategy on each kind it applies to.
            foreach (var x in Enum.GetValues<ConvInputStrategy>().Where(x => x != ConvInputStrategy.Auto
                         && StrategyGeometries.Any(g => ConvStrategies.Applies(x, depthwise, g.K, g.K, g.S))))
                Assert.True(cases.Any(c => c.Item1 == depthwise && c.Item3 == x),
                    $"input strategy {x} has no oracle case (depthwise {depthwise})");
    }

    [Theory, MemberData(nameof(Strategies))]
    [Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Oracle)]
    [Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Oracle)]
    public void ForcedStrategy_CotangentsMatchAutograd(bool depthwise, ConvWeightStrategy weight, ConvInputStrategy input,
        long k, long stride, long size)
    {
        var (f64, f32) = OracleHarness.Check(init => depthwise
            ? new OracleCase<Tensor3, Tensor3>(new Conv2d(init.Normal([Oc, 1, k, k], 0.4), init.Normal([Oc]), stride, true,
                    weightStrategy: weight, inputStrategy: input),
                (x, p) => TwinOps.Depthwise(x, p[0], p[1], stride), new Tensor3(init.Point(Batch, Oc, size, size)))
            : new OracleCase<Tensor3, Tensor3>(new Conv2d(init.Normal([Oc, Ic, k, k], 0.4), init.Normal([Oc]), stride,
                    weightStrategy: weight, inputStrategy: input),
                (x, p) => TwinOps.Conv2d(x, p[0], p[1], stride), new Tensor3(init.Point(Batch, Ic, size, size))),
            c: 4, n: Batch * size * size, output);
        Assert.All(f64.Gradients, g => Assert.True(g.Within(OracleHarness.Float64Bound), g.ToString()));
        Assert.All(f32.Gradients, g => Assert.True(g.Finite, g.ToString()));
    }

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.Oracle)]
    public void Conv2d_InputCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => ConvCase(init, k, stride, size), size, "dx");

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.Oracle)]
    public void Conv2d_WeightCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => ConvCase(init, k, stride, size), size, "dconv.W");

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.conv2d_bias_grad_has_vjp, EvidenceKind.Oracle)]
    public void Conv2d_BiasCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => ConvCase(init, k, stride, size), size, "dconv.b");

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Oracle)]
    public void Depthwise_InputCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => DepthwiseCase(init, k, stride, size), size, "dx");

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Oracle)]
    public void Depthwise_WeightCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => DepthwiseCase(init, k, stride, size), size, "dconv.W");

    [Theory, MemberData(nameof(Geometries)), Evidence(ItemId.depthwise_bias_grad_has_vjp, EvidenceKind.Oracle)]
    public void Depthwise_BiasCotangentMatchesAutograd(long k, long stride, long size) =>
        Check(init => DepthwiseCase(init, k, stride, size), size, "dconv.b");
}
