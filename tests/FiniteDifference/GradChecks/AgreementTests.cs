using LeanMlirVerify.Vjp.GradChecks;

namespace LeanMlirVerify.FiniteDifference.GradChecks;

/// <summary>The one comparison rule every check goes through: what agrees, and how a disagreement is named.</summary>
public class AgreementTests
{
    [Fact]
    public void Within_NeedsBothSidesFiniteAndTheGapWithinTheBound()
    {
        Assert.True(Agreement.Within(1.0, 1.0 + 1e-9, 1e-8));
        Assert.False(Agreement.Within(1.0, 1.0 + 1e-7, 1e-8));
        Assert.False(Agreement.Within(double.NaN, double.NaN, double.PositiveInfinity));
        Assert.False(Agreement.Within(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity));
        Assert.False(Agreement.Within(1.0, 1.0, double.NaN));
    }

    [Fact]
    public void Elements_NameTheFailingElementByItsMultiIndexAndBothValues()
    {
        double[] numeric = [1, 2, 3, 4, 5, 6];
        var analytic = (double[])numeric.Clone();
        analytic[4] += 1e-3; // element [1, 1] of a 2×3 operand
        var comparisons = Agreement.Elements("W", OperandKind.Parameter, [2, 3], analytic, numeric, 1e-8, 1e-6, 1e-6, "central FD");
        var worst = Agreement.WorstFailure(comparisons);
        Assert.NotNull(worst);
        Assert.Single(comparisons, c => !c.Passed);
        Assert.Equal([1L, 1L], worst.Index);
        Assert.Equal(1e-8 + 1e-6 * 5, worst.Bound, 1e-20);
        Assert.Contains("VJP mismatch: parameter 'W' [1, 1]: analytic 5.001 (backward), numeric 5 (central FD", worst.Describe());
    }

    [Fact]
    public void Elements_PassWhenEqual_AndNoWorstFailureIsReported()
    {
        double[] values = [0.5, -0.25, 0];
        var comparisons = Agreement.Elements("x", OperandKind.Input, [3], values, values, 1e-12, 0, 1e-5, "central FD");
        Assert.All(comparisons, c => Assert.True(c.Passed));
        Assert.Null(Agreement.WorstFailure(comparisons));
    }

    [Fact]
    public void Judge_ANonFiniteNumericSideIsAnFdFailure()
    {
        var c = Agreement.Judge(CheckKind.Vjp, "x", OperandKind.Input, [0], null, null, 1, double.NaN, 1, 1, 0, 1e-6, "central FD");
        Assert.False(c.Passed);
        Assert.Equal(CheckKind.FiniteDifference, c.Check);
        Assert.StartsWith("FD failure: input 'x' [0]", c.Describe());
    }

    [Fact]
    public void Unravel_IsRowMajor() => Assert.Equal([1L, 0L, 2L], Agreement.Unravel(14, [2, 4, 3]));
}
