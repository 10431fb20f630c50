using LeanMlirVerify.Calculus;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.FiniteDifference.Calculus;

public sealed class PdivTests
{
    static readonly SymTensor X = SymTensor.Vars("x", 3);

    static Expr[] F => [X[0] * X[1], Exp(X[2]) * Tanh(X[0]), Erf(X[1]) + Pow(X[2], 3)];

    [Fact, Evidence(ItemId.pdiv, EvidenceKind.Symbolic)]
    public void Symbolic_IsTheDerivativeOfOutputJWithRespectToInputI()
    {
        Assert.Same(X[1], Pdiv.Symbolic(F, X.Variables, 0, 0));
        Assert.Same(X[0], Pdiv.Symbolic(F, X.Variables, 1, 0));
        Assert.Same(Zero, Pdiv.Symbolic(F, X.Variables, 2, 0));
        Assert.Same(Scale(Pow(X[2], 2), 3), Pdiv.Symbolic(F, X.Variables, 2, 2));
    }

    [Fact, Evidence(ItemId.pdiv, EvidenceKind.FiniteDifference)]
    public void CentralDifference_MatchesSymbolicEntries()
    {
        var point = new Dictionary<Var, Rational>
        {
            [(Var)X[0]] = new Rational(3, 4), [(Var)X[1]] = new Rational(-5, 4), [(Var)X[2]] = new Rational(1, 3),
        };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double exact = Evaluate.AtDouble(Pdiv.Symbolic(F, X.Variables, i, j), point);
                Assert.Equal(exact, Pdiv.CentralDifference(F, X.Variables, point, i, j), 1e-9);
                Assert.Equal(exact, Pdiv.CentralDifference(F, X.Variables, point, i, j, richardson: true), 1e-10);
            }
    }

    [Fact]
    public void Richardson_IsMoreAccurateOnACurvedFunction()
    {
        double Exact(double x) => 5 * Math.Cos(5 * x);
        Func<double[], double[]> f = v => [Math.Sin(5 * v[0])];
        double plain = Math.Abs(Pdiv.CentralDifference(f, [0.3], 0, 0) - Exact(0.3));
        double rich = Math.Abs(Pdiv.CentralDifference(f, [0.3], 0, 0, richardson: true) - Exact(0.3));
        Assert.True(plain < 1e-8, $"plain error {plain}");
        Assert.True(rich < plain, $"Richardson error {rich} not below plain {plain}");
    }

    [Fact]
    public void Step_FollowsTheDocumentedPolicy()
    {
        Assert.Equal(Math.Cbrt(Math.Pow(2, -52)), Pdiv.Step(0.5));
        Assert.Equal(Math.Cbrt(Math.Pow(2, -52)) * 100, Pdiv.Step(-100));
    }

    [Fact]
    public void CentralDifference_NonFiniteIsAnError() =>
        Assert.Throws<ArithmeticException>(() => Pdiv.CentralDifference(v => [double.NaN], [1.0], 0, 0));
}
