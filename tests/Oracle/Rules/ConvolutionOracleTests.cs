using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// Conv2d and depthwise conv with SAME padding against libtorch's conv2d on an explicitly padded input. The cases
/// cover odd and even kernels, stride 1 and 2, and odd sizes where stride 2 pads asymmetrically (low ⌊P/2⌋).
/// float32 bound: 4·eps32·√n, n = B·H·W (the weight cotangent's reduction, the longest).
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
