using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>
/// At the kinks the hand rule and autograd must agree exactly (max abs error 0), and autograd's own convention is
/// pinned: libtorch gives ReLU′(0) = 0 and routes a tied max-pool window's dy whole to its first maximum in
/// row-major window order — the conventions our rules state.
/// </summary>
[Collection(OracleCollection.Name)]
public class KinkOracleTests
{
    [Theory]
    [InlineData(ScalarType.Float64), InlineData(ScalarType.Float32)]
    public void Relu_AtExactZero_AgreesWithAutogradAndPassesNothing(ScalarType dtype)
    {
        // Every third entry is exactly 0, the rest ±1..: ReLU′(0) = 0 on both sides.
        var x = tensor(Enumerable.Range(-30, 60).Select(i => i % 3 == 0 ? 0.0 : i).ToArray()).view(2, 3, 2, 5).to(dtype);
        using var zero = 0.0.ToScalar();
        var result = RuleOracle.Compare(Activations.Relu<Tensor3>(), (t, _) => TwinOps.Relu(t), new Tensor3(x), seed: 3);
        Assert.All(result.Comparisons, c => Assert.Equal(0.0, c.MaxAbs));

        var leaf = x.clone().requires_grad_(true);
        var dy = ones_like(x);
        var dx = torch.autograd.grad([TwinOps.Relu(leaf)], [leaf], [dy])[0];
        Assert.Equal(0.0, dx.masked_select(x.eq(zero)).abs().sum().to(ScalarType.Float64).item<double>());
        Assert.True(x.eq(zero).sum().item<long>() >= 20, "the input must contain exact zeros");
    }

    [Theory]
    [InlineData(2, 2, 6, ScalarType.Float64), InlineData(2, 2, 7, ScalarType.Float32), InlineData(3, 2, 7, ScalarType.Float64),
        InlineData(3, 1, 5, ScalarType.Float32)]
    public void MaxPool_TiedWindows_AgreeWithAutogradExactly(long size, long stride, long h, ScalarType dtype)
    {
        // A constant plane (every window all tied, as on MNIST's zero background) plus one plane of two levels.
        var x = cat(
            [zeros(1, 2, h, h, dtype),
            tensor(Enumerable.Range(0, (int)(h * h)).Select(i => Math.Floor(i / 10.0)).ToArray()).view(1, 1, h, h).to(dtype)
            .expand(1, 2, h, h)], 0).contiguous();
        var result = RuleOracle.Compare(new MaxPool(size, stride), (t, _) => TwinOps.MaxPool(t, size, stride), new Tensor3(x), seed: 5);
        Assert.All(result.Comparisons, c => Assert.Equal(0.0, c.MaxAbs));
    }

    [Fact]
    public void MaxPool_TiedWindow_LibTorchRoutesToFirstMaximum()
    {
        var x = zeros(1, 1, 4, 4, ScalarType.Float64).requires_grad_(true);
        var dy = tensor(new double[] { 1, 2, 3, 4 }).view(1, 1, 2, 2);
        var dx = torch.autograd.grad([TwinOps.MaxPool(x, 2, 2)], [x], [dy])[0];
        var expected = tensor(new double[] { 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0 }).view(1, 1, 4, 4);
        Assert.True(
            dx.eq(expected).all().item<bool>(),
            $"libtorch routed tied windows as {dx.view(-1).data<double>().ToArray().Aggregate("", (a, v) => a + v + " ")}");
    }

    [Fact]
    public void Relu6_AtBothKinks_AgreesWithAutograd()
    {
        var x = tensor(new double[] { 0, 6, 0, 6, 3, -1, 7, 0 }).view(1, 2, 2, 2);
        var result = RuleOracle.Compare(Activations.Relu6<Tensor3>(), (t, _) => TwinOps.Relu6(t), new Tensor3(x), seed: 9);
        Assert.All(result.Comparisons, c => Assert.Equal(0.0, c.MaxAbs));
    }
}
