using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>GradCheck.Module: the input and every parameter are checked, named as the module names them; its state is restored.</summary>
public class ModuleCheckTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("full")]
    [InlineData("fast")]
    public void Linear_InputWeightAndBiasGradientsPass(string mode)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var linear = nn.Linear(3, 2, dtype: ScalarType.Float64);
        var options = new GradCheckOptions { Mode = mode == "full" ? GradCheckMode.Full : GradCheckMode.Fast() };
        var r = GradCheck.Module(linear, Init.Float64Cpu(1).Point(4, 3), options);
        output.WriteLine(r.Message);
        Assert.True(r.Passed, r.Message);
        Assert.Equal(["input", "weight", "bias"], r.Comparisons.Select(c => c.Operand).Distinct());
        Assert.Contains(r.Comparisons, c => c.OperandKind == OperandKind.Parameter && c.Operand == "bias");
    }

    [Fact]
    public void Sequential_ParametersAreNamedByTheirPath()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var net = nn.Sequential(nn.Linear(3, 4, dtype: ScalarType.Float64), nn.Tanh(), nn.Linear(4, 2, dtype: ScalarType.Float64));
        var r = GradCheck.Module(net, Init.Float64Cpu(2).Point(2, 3));
        Assert.True(r.Passed, r.Message);
        Assert.Equal(["input", "0.weight", "0.bias", "2.weight", "2.bias"], r.Comparisons.Select(c => c.Operand).Distinct());
    }

    [Fact]
    public void WrongWeightGradient_NamesTheParameterAndElement()
    {
        using var scope = NewDisposeScope();
        var module = new WrongLinear(Init.Float64Cpu(3).Point(2, 3));
        var r = GradCheck.Module(module, Init.Float64Cpu(4).Point(4, 3), new() { Mode = GradCheckMode.Full });
        output.WriteLine(r.Message);
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.Equal(("weight", OperandKind.Parameter), (c.Operand, c.OperandKind)));
        Assert.Contains("VJP mismatch: parameter 'weight' [", r.Message);
        Assert.Contains(r.Comparisons, c => c.Operand == "input" && c.Passed);
    }

    [Fact]
    public void Float32Module_IsRestoredToItsDtypeAndValues()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var linear = nn.Linear(3, 2);
        var before = linear.weight!.clone();
        var r = GradCheck.Module(linear, Init.Float64Cpu(5).Point(2, 3).to_type(ScalarType.Float32));
        Assert.True(r.Passed, r.Message);
        Assert.Equal(ScalarType.Float32, r.Dtype);
        Assert.Equal(ScalarType.Float32, linear.weight!.dtype);
        Assert.Equal(before.data<float>().ToArray(), linear.weight.data<float>().ToArray());
    }
}
