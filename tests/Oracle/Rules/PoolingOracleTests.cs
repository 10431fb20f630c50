using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>Max pool (−∞ SAME padding), global average pool, 2×2 average pool and flatten against autograd.</summary>
[Collection(OracleCollection.Name)]
public class PoolingOracleTests(ITestOutputHelper output)
{
    public static TheoryData<long, long, long> Geometries => new()
    {
        { 2, 2, 8 }, { 2, 2, 7 }, { 3, 2, 7 }, { 3, 1, 5 }, { 3, 3, 8 },
    };

    /// <summary>Each geometry under Auto and under each forced strategy (Native runs autograd's own backward kernel).</summary>
    public static TheoryData<long, long, long, KernelStrategy> GeometriesAndStrategies()
    {
        var data = new TheoryData<long, long, long, KernelStrategy>();
        foreach (var row in Geometries)
            foreach (var s in Enum.GetValues<KernelStrategy>())
                data.Add((long)row[0], (long)row[1], (long)row[2], s);
        return data;
    }

    [Theory, MemberData(nameof(GeometriesAndStrategies)), Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.Oracle)]
    public void MaxPool_InputCotangentMatchesAutograd(long size, long stride, long h, KernelStrategy strategy) =>
        // Distinct inputs: a unique maximum per window (ties are KinkTests' subject). Routing copies dy: exact in any
        // dtype except where overlapping windows (size > stride) add two entries: c = 1, n = 4.
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(new MaxPool(size, stride, strategy),
            (x, _) => TwinOps.MaxPool(x, size, stride), new Tensor3(init.Distinct(0.01, 2, 3, h, h))), c: 1, n: 4, output);

    [Fact, Evidence(ItemId.pdiv_finset_sum, EvidenceKind.Oracle)]
    public void GlobalAvgPool_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Vec>(Pooling.GlobalAvgPool(),
            (x, _) => TwinOps.GlobalAvgPool(x), new Tensor3(init.Point(3, 4, 5, 6))), c: 4, n: 30, output);

    [Fact, Evidence(ItemId.pdiv_finset_sum, EvidenceKind.Oracle)]
    public void AvgPool2_InputCotangentMatchesAutograd() =>
        // dx = dy/4 on every window entry: ½·½ here, libtorch's division by 4 there, both exact in any dtype.
        OracleHarness.Check(init => new OracleCase<Tensor3, Tensor3>(Pooling.AvgPool2(),
            (x, _) => TwinOps.AvgPool2(x), new Tensor3(init.Point(3, 4, 6, 8))), c: 1, n: 4, output);

    [Fact, Evidence(ItemId.pdiv_reindex, EvidenceKind.Oracle)]
    public void Flatten_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init => new OracleCase<Tensor3, Vec>(Pooling.Flatten(),
            (x, _) => TwinOps.Flatten(x), new Tensor3(init.Point(3, 4, 5, 6))), c: 0, n: 1, output);
}
