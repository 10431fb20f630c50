using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// Steps and tolerances per dtype: correct float32, float16 and bfloat16 gradients pass with the defaults (against the
/// float64 reference, and in the native dtype); a fixed tiny step fails where the per-dtype one passes; the adaptive step
/// rescues a correct gradient whose error came from the step and does not rescue a wrong one.
/// </summary>
public class PrecisionTests(ITestOutputHelper output)
{
    static Tensor Point(int seed, ScalarType dtype, params long[] shape) => Init.Float64Cpu(seed).Point(shape).to_type(dtype);

    /// <summary>A small network's worth of ops: matmul, tanh, sigmoid, a reduction.</summary>
    static Tensor Net(Tensor[] xs) => (matmul(xs[0], xs[1]).tanh() * xs[0].sigmoid().sum(1, keepdim: true)).sum(1);

    GradCheckResult Show(GradCheckResult r)
    {
        output.WriteLine(r.Message);
        return r;
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void CorrectGradient_PassesWithTheDtypeDefaultsAgainstFloat64(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        foreach (var mode in new[] { GradCheckMode.Full, GradCheckMode.Fast() })
        {
            var r = Show(GradCheck.Function(Net, [Point(1, dtype, 3, 4), Point(2, dtype, 4, 4)], new() { Mode = mode }));
            Assert.True(r.Passed, r.Message);
            Assert.Equal(dtype, r.Dtype);
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void CorrectGradient_PassesWithTheNativeDefaults(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => x.tanh() * x, Point(3, dtype, 2, 5),
            new() { Reference = NumericReference.Native, Mode = GradCheckMode.Full }));
        Assert.True(r.Passed, r.Message);
        var step = GradCheckDefaults.For(dtype, NumericReference.Native).Step;
        Assert.All(r.Comparisons.Where(c => c.Check == CheckKind.Vjp), c => Assert.True(c.Step >= step, $"step {c.Step} < {step}"));
    }

    [Fact]
    public void FixedStepOf1e9InFloat32_FailsWhereThePerDtypeStepPasses()
    {
        using var scope = NewDisposeScope();
        var x = Point(4, ScalarType.Float32, 2, 3);
        var native = new GradCheckOptions { Reference = NumericReference.Native, Mode = GradCheckMode.Full, Adaptive = false };
        Assert.True(GradCheck.Function(v => v.sin(), x, native).Passed);
        var tiny = Show(GradCheck.Function(v => v.sin(), x, native with { Step = 1e-9 }));
        Assert.False(tiny.Passed);
        // A step below float32's resolution moves nothing: reported as a failure of the numeric side, not of the gradient.
        Assert.Contains(tiny.Failures, c => c.Check == CheckKind.FiniteDifference);
    }

    [Fact]
    public void FloatSixteenFunction_ReferenceRunsInFloat64AtTheSamePoint()
    {
        using var scope = NewDisposeScope();
        var x = Point(5, ScalarType.Float16, 6);
        var r = GradCheck.Function(v => v.exp(), x, new() { Mode = GradCheckMode.Full });
        Assert.True(r.Passed, r.Message);
        // The diagonal's numeric side is exp(x) at the float16 point, computed in float64: exact to float64 FD accuracy.
        var xs = x.to_type(ScalarType.Float64).data<double>().ToArray();
        foreach (var c in r.Comparisons.Where(c => c.Check == CheckKind.Vjp && c.Index[0] == c.OutputIndex![0]))
            Assert.Equal(Math.Exp(xs[c.Index[0]]), c.Numeric, 1e-8);
    }

    [Fact]
    public void StepDominatedError_IsRemovedByTheAdaptiveStep()
    {
        using var scope = NewDisposeScope();
        // sin(50x) at h = 1e-3: the central difference's truncation error, h²·50³/6 ≈ 2e-2, dwarfs the bound.
        var x = Point(6, ScalarType.Float64, 5);
        static Tensor F(Tensor v) => v.Mul(50).sin();
        var coarse = new GradCheckOptions { Mode = GradCheckMode.Full, Step = 1e-3, Adaptive = false };
        Assert.False(Show(GradCheck.Function(F, x, coarse)).Passed);
        var adaptive = Show(GradCheck.Function(F, x, coarse with { Adaptive = true }));
        Assert.True(adaptive.Passed, adaptive.Message);
        Assert.Contains(adaptive.Comparisons, c => c.Method.StartsWith("Richardson", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongGradient_IsNotRescuedByTheAdaptiveStep()
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(v => TanhScaledBy1001.apply(v), Point(7, ScalarType.Float64, 5),
            new() { Mode = GradCheckMode.Full, Step = 1e-3 }));
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.StartsWith("Richardson", c.Method));
    }

    [Fact]
    public void Richardson_CancelsTheLeadingTruncationTerms()
    {
        // D(h) = 1 + h² + h⁴ at h = 0.1, 0.05, 0.025: the tableau recovers 1 to rounding.
        double D(double h) => 1 + h * h + Math.Pow(h, 4);
        var (value, _) = Richardson.Extrapolate([D(0.1), D(0.05), D(0.025)]);
        Assert.Equal(1, value, 12);
    }
}
