using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// Second order (the gradient of the gradient, like gradgradcheck), forward mode by double backward, and the
/// non-determinism tolerance: each passes a correct function and reports a defect of its own kind.
/// </summary>
public class SecondOrderAndDeterminismTests(ITestOutputHelper output)
{
    static Tensor Point(int seed, params long[] shape) => Init.Float64Cpu(seed).Point(shape);

    GradCheckResult Show(GradCheckResult r)
    {
        output.WriteLine(r.Message);
        return r;
    }

    [Theory]
    [InlineData("full")]
    [InlineData("fast")]
    public void CorrectDoubleBackward_PassesSecondOrder(string mode)
    {
        using var scope = NewDisposeScope();
        var options = new GradCheckOptions { SecondOrder = true, Mode = mode == "full" ? GradCheckMode.Full : GradCheckMode.Fast() };
        var r = Show(GradCheck.Function(x => Cube.apply(x), Point(1, 2, 3), options));
        Assert.True(r.Passed, r.Message);
        Assert.Contains(r.Comparisons, c => c.Check == CheckKind.SecondOrder && c.OperandKind == OperandKind.Cotangent);
        var builtIn = Show(GradCheck.Function(xs => matmul(xs[0], xs[1]).tanh(), [Point(2, 2, 3), Point(3, 3, 2)], options));
        Assert.True(builtIn.Passed, builtIn.Message);
    }

    [Fact]
    public void ModuleSecondOrder_CoversInputAndParameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var net = nn.Sequential(nn.Linear(3, 2, dtype: ScalarType.Float64), nn.Tanh());
        var r = Show(GradCheck.Module(net, Point(9, 2, 3), new() { SecondOrder = true }));
        Assert.True(r.Passed, r.Message);
        Assert.Equal(["input", "0.weight", "0.bias", "dy"],
            r.Comparisons.Where(c => c.Check == CheckKind.SecondOrder).Select(c => c.Operand).Distinct());
    }

    [Fact]
    public void SecondOrderMismatch_NamesWhichGradientEntryIsWrong()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, -2 }, ScalarType.Float64);
        var r = GradCheck.Function(v => CubeWithDetachedFactor.apply(v), x,
            new() { SecondOrder = true, Mode = GradCheckMode.Full, InputNames = ["x"] });
        output.WriteLine(r.Message);
        // g(x, dy) = 3x²·dy; its x-derivative 6x·dy is what the double backward halves. dy is seeded, so only the start is fixed.
        Assert.StartsWith("Second-order mismatch: input 'x' [1], output [1] (gradient of input 'x' [1]): analytic ",
            r.Message.Split('\n')[1]);
        Assert.All(r.Failures, c => Assert.Equal(0.5, c.Analytic / c.Numeric, 9));
    }

    [Theory]
    [InlineData("full")]
    [InlineData("fast")]
    public void WrongSecondDerivative_FailsSecondOrderOnlyNamingTheInput(string mode)
    {
        using var scope = NewDisposeScope();
        var options = new GradCheckOptions { Mode = mode == "full" ? GradCheckMode.Full : GradCheckMode.Fast() };
        var x = Point(4, 2, 3);
        Assert.True(GradCheck.Function(v => CubeWithDetachedFactor.apply(v), x, options).Passed);
        var r = Show(GradCheck.Function(v => CubeWithDetachedFactor.apply(v), x, options with { SecondOrder = true }));
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.Equal((CheckKind.SecondOrder, "input 0"), (c.Check, c.Operand)));
        Assert.Contains("Second-order mismatch: input 'input 0'", r.Message);
        Assert.Contains("(double backward)", r.Message);
    }

    [Fact]
    public void ForwardMode_PassesACorrectFunctionAndFailsAWrongBackward()
    {
        using var scope = NewDisposeScope();
        var full = new GradCheckOptions { Mode = GradCheckMode.Full, Jvp = true };
        var good = Show(GradCheck.Function(xs => TimesSquare.apply(xs[0], xs[1]), [Point(5, 3), Point(6, 3)], full));
        Assert.True(good.Passed, good.Message);
        Assert.Contains(good.Comparisons, c => c.Check == CheckKind.Jvp);
        foreach (var mode in new[] { GradCheckMode.Full, GradCheckMode.Fast() })
        {
            var bad = Show(GradCheck.Function(xs => TimesSquareForgetsTwo.apply(xs[0], xs[1]), [Point(5, 3), Point(6, 3)],
                full with { Mode = mode }));
            Assert.Contains(bad.Failures, c => c.Check == CheckKind.Jvp && c.Operand == "input 1");
            Assert.DoesNotContain(bad.Failures, c => c.Operand == "input 0");
            Assert.Contains("JVP mismatch: input 'input 1'", bad.Message);
        }
    }

    [Fact]
    public void NonDeterministicBackward_BeyondTheToleranceIsReported()
    {
        using var scope = NewDisposeScope();
        NoisySquare.Noise = 1e-6;
        var r = Show(GradCheck.Function(x => NoisySquare.apply(x), Point(7, 4), new() { NonDeterminismTolerance = 1e-9 }));
        Assert.False(r.Passed);
        Assert.Contains(r.Failures, c => c.Check == CheckKind.Determinism);
        Assert.Contains("Determinism: input 'input 0' [", r.Message);
        Assert.Contains("non-determinism tolerance 1.0e-09", r.Message);
    }

    [Fact]
    public void NonDeterministicBackward_WithinTheTolerancePasses()
    {
        using var scope = NewDisposeScope();
        NoisySquare.Noise = 1e-12;
        try
        {
            var strict = GradCheck.Function(x => NoisySquare.apply(x), Point(8, 4));
            Assert.Contains(strict.Failures, c => c.Check == CheckKind.Determinism);
            var tolerant = Show(GradCheck.Function(x => NoisySquare.apply(x), Point(8, 4),
                new() { NonDeterminismTolerance = 1e-10, NonDeterminismRuns = 3 }));
            Assert.True(tolerant.Passed, tolerant.Message);
            Assert.Equal(2 * 4, tolerant.Comparisons.Count(c => c.Check == CheckKind.Determinism));
        }
        finally
        {
            NoisySquare.Noise = 1e-6;
        }
    }
}
