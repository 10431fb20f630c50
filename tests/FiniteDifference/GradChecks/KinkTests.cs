using LeanMlirVerify.Vjp.GradChecks;
using LeanMlirVerify.Vjp.Rules;
using LeanMlirVerify.Vjp.Algebra;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>
/// Inputs at or within the step of a non-differentiable point. Undeclared, the central difference straddles the kink and
/// the check fails — with a note that the one-sided differences disagree there. Declared with the convention the function
/// claims, the elements are compared one-sidedly and listed as kinks; a wrong claim still fails, at the kink.
/// </summary>
public class KinkTests(ITestOutputHelper output)
{
    // Exactly at ReLU's kink, just inside the step on either side, and well away from it.
    static Tensor AtAndNearZero() => tensor(new[] { 0, 3e-7, -4e-7, 0.8, -1.2, 0 }, [2, 3], ScalarType.Float64);

    static readonly Kink ReluConvention = new(0, KinkSide.Left, Description: "ReLU′(0) = 0");

    GradCheckResult Show(GradCheckResult r)
    {
        output.WriteLine(r.Message);
        return r;
    }

    [Fact]
    public void UndeclaredKink_FailsWithANoteThatTheSidesDisagree()
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => x.relu(), AtAndNearZero(), new() { Mode = GradCheckMode.Full }));
        Assert.False(r.Passed);
        Assert.Contains(r.Failures, c => c.Note?.Contains("looks like a kink") == true);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("fast")]
    public void DeclaredKinkWithTheRightConvention_IsReportedNotFailed(string mode)
    {
        using var scope = NewDisposeScope();
        var options = new GradCheckOptions
        {
            Mode = mode == "full" ? GradCheckMode.Full : GradCheckMode.Fast(),
            Kinks = [ReluConvention],
        };
        var r = Show(GradCheck.Function(x => x.relu(), AtAndNearZero(), options));
        Assert.True(r.Passed, r.Message);
        // Elements 0, 1, 2 and 5 (flat) are within the step of 0; 0.8 and −1.2 are not.
        Assert.Equal([[0L, 0L], [0L, 1L], [0L, 2L], [1L, 2L]],
            r.Kinks.Select(c => c.Index).DistinctBy(Comparison.FormatIndex).OrderBy(i => i[0] * 3 + i[1]));
        Assert.Contains("kink: input 'input 0' [0, 0] is within the step of the declared kink at 0 (left derivative: ReLU′(0) = 0)",
            r.Message);
        // At exactly 0 the convention's side is used; at 3e-7 the side the element lies on.
        Assert.Contains(r.Kinks, c => c.Index.SequenceEqual([0L, 0L]) && c.Method.StartsWith("left-sided", StringComparison.Ordinal));
        Assert.Contains(r.Kinks, c => c.Index.SequenceEqual([0L, 1L]) && c.Method.StartsWith("right-sided", StringComparison.Ordinal));
    }

    [Fact]
    public void DeclaredKinkWithTheWrongConvention_FailsAtTheKink()
    {
        using var scope = NewDisposeScope();
        // ReLU's backward gives 0 at 0; claiming the right derivative (1) must be caught, at the exact zeros only.
        var r = Show(GradCheck.Function(x => x.relu(), AtAndNearZero(),
            new() { Mode = GradCheckMode.Full, Kinks = [new(0, KinkSide.Right)] }));
        Assert.False(r.Passed);
        Assert.All(r.Failures, c => Assert.NotNull(c.Kink));
        Assert.Equal([[0L, 0L], [1L, 2L]], r.Failures.Select(c => c.Index).DistinctBy(Comparison.FormatIndex).OrderBy(i => i[0]));
        Assert.Contains("VJP mismatch at the declared kink at 0 (right derivative)", r.Message);
    }

    [Fact]
    public void AbsoluteValue_MeanConventionMatchesSignOfZero()
    {
        using var scope = NewDisposeScope();
        var r = Show(GradCheck.Function(x => x.abs(), tensor(new[] { 0, 1.5, -2 }, ScalarType.Float64),
            new() { Kinks = [new(0, KinkSide.Mean, Description: "sign(0) = 0")] }));
        Assert.True(r.Passed, r.Message);
        Assert.Single(r.Kinks.Select(c => c.Index[0]).Distinct());
    }

    [Fact]
    public void RuleAtItsKink_IsCheckedWithTheRuleConvention()
    {
        using var scope = NewDisposeScope();
        var options = new GradCheckOptions { Kinks = [ReluConvention with { Operand = "x" }] };
        var r = Show(GradCheck.Rule(Activations.Relu<Vec>(), new Vec(AtAndNearZero()), options));
        Assert.True(r.Passed, r.Message);
        Assert.NotEmpty(r.Kinks);
    }
}
