using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Runtime;

/// <summary>TorchSharp's native backend loads on this machine (see build/LibTorchSharpWeakVersion.targets).</summary>
public class TorchSharpRuntimeTests
{
    [Fact]
    public void Matmul_ComputesTheKnownProduct()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[] { 1, 2, 3, 4 }, [2, 2], ScalarType.Float64);
        var b = tensor(new double[] { 5, 6, 7, 8 }, [2, 2], ScalarType.Float64);
        var c = matmul(a, b).data<double>().ToArray();
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c);
    }

    [Fact]
    public void Autograd_GradientOfSumOfSquaresIsTwiceTheInput()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1.5, -2, 0.25 }, ScalarType.Float64).requires_grad_();
        var y = (x * x).sum();
        var g = TorchSharp.torch.autograd.grad([y], [x])[0].data<double>().ToArray();
        Assert.Equal(new double[] { 3, -4, 0.5 }, g);
    }
}
