using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using static TorchSharp.torch;
using Fd = LeanMlirVerify.Vjp.Checking.FiniteDifference;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>
/// The book checks' own comparison (pdiv_id's FD Jacobian against I, the multi-head rows) and the adjoint test go through
/// the shared <see cref="LeanMlirVerify.Vjp.GradChecks.Agreement"/>: their figures are the worst absolute error as
/// before, and a failure names the element and both values.
/// </summary>
public class FiniteDifferenceTests
{
    static double[] Identity(int n) => [.. Enumerable.Range(0, n * n).Select(k => k / n == k % n ? 1.0 : 0.0)];

    [Fact]
    public void Compare_ReportsTheWorstAbsoluteErrorAsTheBookDoes()
    {
        var fd = Identity(5);
        fd[7] += 3e-11;
        fd[18] -= 5e-11;
        var row = Fd.Compare("pdiv_id", "pdiv_id (FD Jacobian = I)", "x∈R⁵", Identity(5), fd, shape: [5, 5]);
        Assert.True(row.Passed, row.ToString());
        Assert.Equal(5e-11, row.MaxError, 1e-16);
        Assert.Equal("", row.Detail);
    }

    [Fact]
    public void Compare_AnFdJacobianThatIsNotTheIdentity_FailsNamingTheElement()
    {
        var fd = Identity(5);
        fd[13] += 2e-7; // row 2, column 3: over the 1e-7 bound
        var row = Fd.Compare("pdiv_id", "pdiv_id (FD Jacobian = I)", "x∈R⁵", Identity(5), fd, shape: [5, 5]);
        Assert.False(row.Passed);
        Assert.Equal(2e-7, row.MaxError, 1e-15);
        Assert.Contains("'pdiv_id (FD Jacobian = I)' [2, 3]: analytic 0 (backward), numeric 2e-07", row.Detail);
    }

    [Fact]
    public void Compare_NonFiniteOrMisSizedSides_Fail()
    {
        var nan = Fd.Compare("i", "c", "s", [1.0, 2.0], [1.0, double.NaN]);
        Assert.False(nan.Passed);
        Assert.True(double.IsNaN(nan.MaxError));
        Assert.Contains("[1]", nan.Detail);
        Assert.False(Fd.Compare("i", "c", "s", [1.0], [1.0, 2.0]).Passed);
    }

    [Fact]
    public void Adjoint_AWrongPullback_FailsWithGradChecksLine()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(11);
        var twice = new Elementwise<Vec>("relu_has_vjp", "x² (mutant: backward x)", x => x.Square(), (x, _) => x);
        var c = CheckCase.Of(twice, init.Point(2, 4));
        var row = VjpCheck.Adjoint(c, init.Point(2, 4), init.Point(2, 4));
        Assert.False(row.Passed);
        Assert.Contains("VJP mismatch: input 'x' (all elements), projection 1: analytic", row.Detail);
        var right = VjpCheck.Adjoint(CheckCase.Of(new Elementwise<Vec>("relu_has_vjp", "x²", x => x.Square(), (x, _) => x.Mul(2)),
            init.Point(2, 4)), init.Point(2, 4), init.Point(2, 4));
        Assert.True(right.Passed, right.ToString());
        Assert.StartsWith("<dy,Jv>=", right.Detail);
    }
}
