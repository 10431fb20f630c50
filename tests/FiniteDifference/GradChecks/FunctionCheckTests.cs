using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// GradCheck.Function on autograd functions and custom backwards, in full and fast mode: correct gradients pass, and a
/// gradient wrong in one element, wrong for one input of several, or 0.1 % off is reported naming the operand and element.
/// </summary>
public class FunctionCheckTests(ITestOutputHelper output)
{
    static readonly GradCheckOptions FullMode = new() { Mode = GradCheckMode.Full };
    static readonly GradCheckOptions FastMode = new() { Mode = GradCheckMode.Fast() };

    static Tensor Point(int seed, params long[] shape) => Init.Float64Cpu(seed).Point(shape);

    GradCheckResult Show(GradCheckResult r)
    {
        output.WriteLine(r.Message);
        return r;
    }

    public static TheoryData<string> Modes() => ["full", "fast"];

    static GradCheckOptions ModeOf(string mode) => mode == "full" ? FullMode : FastMode;

    [Theory, MemberData(nameof(Modes))]
    public void BuiltInOps_GradientOfSeveralInputsPasses(string mode)
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(xs => matmul(xs[0], xs[1]).tanh() * xs[2].sigmoid(),
            [Point(1, 3, 4), Point(2, 4, 2), Point(3, 3, 2)], ModeOf(mode)));
        Assert.True(r.Passed, r.Message);
        Assert.Contains(r.Comparisons, c => c.Operand == "input 2");
    }

    [Theory, MemberData(nameof(Modes))]
    public void CustomAutogradFunction_CorrectBackwardPasses(string mode)
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => Square.apply(x), Point(4, 3, 5), ModeOf(mode)));
        Assert.True(r.Passed, r.Message);
    }

    [Theory, MemberData(nameof(Modes))]
    public void MultiOutputCustomFunction_CheckedThroughOneOutputTensor(string mode)
    {
        using var scope = NewDisposeScope();
        // A function with several outputs is checked as one tensor: here the two outputs stacked.
        var r = Show(GradCheck.Function(x => stack(SinCos.apply(x)), Point(13, 2, 3), ModeOf(mode)));
        Assert.True(r.Passed, r.Message);
    }

    [Fact]
    public void FullMode_ComparesEveryJacobianEntryOnce()
    {
        using var scope = NewDisposeScope();
        var r = GradCheck.Function(xs => xs[0] * xs[1].sum(), [Point(5, 2, 3), Point(6, 4)], FullMode with { NonDeterminismRuns = 1 });
        // 6 outputs × (6 + 4) input elements.
        Assert.Equal(60, r.Comparisons.Count);
        Assert.All(r.Comparisons, c => Assert.Equal(CheckKind.Vjp, c.Check));
        Assert.Equal("full Jacobian", r.Mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public void WrongInOneElementOnly_IsReportedAtThatElement(string mode)
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => SquareWrongAtOneElement.apply(x), Point(7, 3, 5), ModeOf(mode)));
        Assert.False(r.Passed);
        // Flat element 7 of a [3, 5] input is [1, 2]; in fast mode the failing projection is localised to it.
        var elementFailures = r.Failures.Where(c => c.Index.Length > 0).ToList();
        Assert.NotEmpty(elementFailures);
        Assert.All(elementFailures, c => Assert.Equal([1L, 2L], c.Index));
        Assert.Contains("input 'input 0' [1, 2]", r.Message);
    }

    [Theory, MemberData(nameof(Modes))]
    public void WrongForOneInputOfSeveral_NamesThatInputOnly(string mode)
    {
        using var scope = NewDisposeScope();
        var good = GradCheck.Function(xs => TimesSquare.apply(xs[0], xs[1]), [Point(8, 2, 3), Point(9, 2, 3)], ModeOf(mode));
        Assert.True(good.Passed, good.Message);
        var r = Show(GradCheck.Function(xs => TimesSquareForgetsTwo.apply(xs[0], xs[1]), [Point(8, 2, 3), Point(9, 2, 3)],
            ModeOf(mode) with { InputNames = ["a", "b"] }));
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.Equal("b", c.Operand));
        Assert.Contains(r.Comparisons, c => c.Operand == "a" && c.Passed);
    }

    [Theory, MemberData(nameof(Modes))]
    public void GradientOffByScale1001InFloat64_IsReported(string mode)
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => TanhScaledBy1001.apply(x), Point(10, 4, 3), ModeOf(mode)));
        Assert.False(r.Passed);
        var worst = r.Failures[0];
        Assert.InRange(worst.AbsoluteError / Math.Abs(worst.Numeric), 5e-4, 2e-3);
    }

    [Fact]
    public void FailureMessage_HasTheDocumentedFormat()
    {
        using var scope = NewDisposeScope();
        // One input [2]: y = x², backward 2x·dy scaled by 1.01 at flat element 7 needs 8 elements, so use [2, 4].
        var x = tensor(new[] { 0.5, -1, 1.5, 2, -0.25, 0.75, 1, 3 }, [2, 4], ScalarType.Float64);
        var r = GradCheck.Function(v => SquareWrongAtOneElement.apply(v), x, FullMode with { InputNames = ["x"] });
        output.WriteLine(r.Message);
        var lines = r.Message.Split('\n');
        Assert.Equal("GradCheck failed for function (float64, full Jacobian, numeric in float64): 1 of 72 comparisons outside the bound",
            lines[0]);
        // Element [1, 3] holds 3: analytic 2·3·1.01 = 6.06, numeric 6; bound 1e-8 + 1e-6·6.
        Assert.Equal(
            "VJP mismatch: input 'x' [1, 3], output [1, 3]: analytic 6.06 (backward), numeric 6 (Richardson of central FD at h…h/4, "
            + "h = 3e-06); abs err 6.0e-02, rel err 1.0e-02, bound 6.0e-06 (atol 1.0e-08, rtol 1.0e-06)",
            lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void InputsAreLeftUnchanged()
    {
        using var scope = NewDisposeScope();
        var x = Point(11, 2, 3);
        var before = x.clone();
        GradCheck.Function(v => v.sin(), x);
        Assert.Equal(before.data<double>().ToArray(), x.data<double>().ToArray());
        Assert.False(x.requires_grad);
    }

    [Fact]
    public void IntegerInput_IsRejectedNamingTheInput()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<NotSupportedException>(() =>
            GradCheck.Function(xs => xs[0] * xs[1], [Point(12, 3), ones(3, ScalarType.Int64)]));
        Assert.Contains("'input 1' is Int64", e.Message);
    }
}
