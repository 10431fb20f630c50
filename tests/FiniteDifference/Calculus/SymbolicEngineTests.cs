using LeanMlirVerify.Calculus.Symbolic;
using static LeanMlirVerify.Calculus.Symbolic.Expr;

namespace LeanMlirVerify.FiniteDifference.Calculus;

public sealed class SymbolicEngineTests
{
    static readonly Var X = Var.Of("x", [2], 0), Y = Var.Of("x", [2], 1), Z = Var.Of("z", [1], 0);
    static readonly Var W12 = Var.Of("W", [2, 3], 1, 2);

    [Fact]
    public void Simplify_CollectsLikeTermsAndFoldsConstants()
    {
        Assert.Same(Scale(X, 2), X + X);
        Assert.Same(Zero, X - X);
        Assert.Same(Num(5), Num(2) + 3);
        Assert.Same(X + Y, Y + X);
        Assert.Same(X * Y, Y * X);
        Assert.Same(Pow(X, 2), X * X);
        Assert.Same(One, X / X);
        Assert.Same(Scale(X + Y, 2), Num(2) * X + Num(2) * Y);
    }

    [Fact]
    public void Simplify_MergesPowersAndExponentials()
    {
        Assert.Same(Exp(X + Y), Exp(X) * Exp(Y));
        Assert.Same(One, Exp(X) * Exp(-X));
        Assert.Same(Pow(X, Rational.Half), Sqrt(X));
        Assert.Same(X, Sqrt(X) * Sqrt(X));
        Assert.Same(Pow(X + One, new Rational(3, 2)), Sqrt(X + One) * (X + One));
        Assert.Same(Exp(Scale(X, 3)), Pow(Exp(X), 3));
        Assert.Same(X, Log(Exp(X)));
        // the content of a sum is pulled out so 2(x+y)·z and (2x+2y)·z are one node
        Assert.Same((Num(2) * X + Num(2) * Y) * Z, Num(2) * ((X + Y) * Z));
    }

    [Fact]
    public void Simplify_FoldsRationalPowersOfConstants()
    {
        Assert.Same(Num(2), Sqrt(4));
        Assert.Same(Num(new Rational(2, 3)), Sqrt(Num(new Rational(4, 9))));
        Assert.Same(Num(3) * Sqrt(3), Pow(3, new Rational(3, 2)));
        Assert.Same(Num(3), Sqrt(3) * Sqrt(3));
        Assert.Same(Num(new Rational(1, 2)) * Sqrt(2), Pow(2, -Rational.Half));
    }

    [Fact]
    public void Print_IsReadable()
    {
        Assert.Equal("W[1,2]", W12.ToString());
        Assert.Equal("2*x[0] + x[1] - 1/2", (Scale(X, 2) + Y - Num(new Rational(1, 2))).ToString());
        Assert.Equal("exp(x[0])/(exp(x[0]) + exp(x[1]))", (Exp(X) / (Exp(X) + Exp(Y))).ToString());
        Assert.Equal("x[0]^3", Pow(X, 3).ToString());
        Assert.Equal("sqrt(x[0] + 1)", Sqrt(X + One).ToString());
        Assert.Equal("x[0]^(1/3)", Pow(X, new Rational(1, 3)).ToString());
    }

    [Fact]
    public void Differentiate_ElementaryFunctions()
    {
        Assert.Same(Scale(X, 2), Pow(X, 2).D(X));
        Assert.Same(Exp(X), Exp(X).D(X));
        Assert.Same(Pow(X, -1), Log(X).D(X));
        Assert.Same(One - Pow(Tanh(X), 2), Tanh(X).D(X));
        Assert.Same(Num(2) * Pow(Pi, -Rational.Half) * Exp(-Pow(X, 2)), Erf(X).D(X));
        Assert.Same(Num(Rational.Half) * Pow(X, -Rational.Half), Sqrt(X).D(X));
        Assert.Same(Zero, Exp(Y).D(X));
    }

    [Fact]
    public void Relu_DerivativeAtZeroIsZero()
    {
        var d = Relu(X).D(X);
        Assert.Same(Step(X), d);
        Assert.Equal(0.0, Evaluate.AtDouble(d, new Dictionary<Var, Rational> { [X] = 0 }));
        Assert.Equal(1.0, Evaluate.AtDouble(d, new Dictionary<Var, Rational> { [X] = new Rational(1, 1000) }));
        Assert.False(Differentiate.IsSmooth(Relu(X)));
    }

    [Fact]
    public void Max_TieGoesToTheFirstArgument()
    {
        var m = MaxOf(X, Y);
        var tie = new Dictionary<Var, Rational> { [X] = 1, [Y] = 1 };
        Assert.Equal(1.0, Evaluate.AtDouble(m.D(X), tie));
        Assert.Equal(0.0, Evaluate.AtDouble(m.D(Y), tie));
        var yLarger = new Dictionary<Var, Rational> { [X] = 1, [Y] = 2 };
        Assert.Equal(0.0, Evaluate.AtDouble(m.D(X), yLarger));
        Assert.Equal(1.0, Evaluate.AtDouble(m.D(Y), yLarger));
    }

    [Fact]
    public void HighPrecision_MatchesKnownConstantsTo45Digits()
    {
        var one = new Dictionary<Var, Rational> { [X] = 1 };
        Assert.Equal("3.14159265358979323846264338327950288419716939",
            Evaluate.AtHighPrecision([Pi], one)[0].ToString(45).Replace("e0", ""));
        Assert.Equal("2.71828182845904523536028747135266249775724709",
            Evaluate.AtHighPrecision([Exp(X)], one)[0].ToString(45).Replace("e0", ""));
        Assert.Equal("6.93147180559945309417232121458176568075500134e-1", Evaluate.AtHighPrecision([Log(X + One)], one)[0].ToString(45));
        Assert.Equal("8.42700792949714869341220635082609259296066997e-1", Evaluate.AtHighPrecision([Erf(X)], one)[0].ToString(45));
        Assert.Equal("7.61594155955764888119458282604793590412768597e-1", Evaluate.AtHighPrecision([Tanh(X)], one)[0].ToString(45));
        Assert.Equal("1.41421356237309504880168872420969807856967187",
            Evaluate.AtHighPrecision([Sqrt(X + One)], one)[0].ToString(45).Replace("e0", ""));
    }

    [Fact]
    public void HighPrecision_AgreesWithDoubleOnAMixedExpression()
    {
        var e = Erf(X * Y) + Tanh(X) / (One + Exp(Y)) - Log(Pow(X, 2) + One) * Pow(Y + Num(3), new Rational(2, 3));
        var point = new Dictionary<Var, Rational> { [X] = new Rational(-7, 5), [Y] = new Rational(9, 4) };
        Assert.Equal(Evaluate.AtDouble(e, point), Evaluate.AtHighPrecision([e], point)[0].ToDouble(), 1e-13);
    }

    [Fact]
    public void Evaluate_LogOfNonPositive_NamesExpressionAndPoint()
    {
        var ex = Assert.Throws<EvaluationException>(
            () => Evaluate.AtDouble(Log(X - One), new Dictionary<Var, Rational> { [X] = new Rational(1, 2) }));
        Assert.Contains("log of non-positive value", ex.Message);
        Assert.Contains("log(x[0] - 1)", ex.Message);
        Assert.Contains("x[0]=1/2", ex.Message);
    }

    [Fact]
    public void Evaluate_DivisionByZero_NamesExpressionAndPoint()
    {
        var ex = Assert.Throws<EvaluationException>(
            () => Evaluate.AtHighPrecision([One / (X - Y)], new Dictionary<Var, Rational> { [X] = 2, [Y] = 2 }));
        Assert.Contains("division by zero", ex.Message);
        Assert.Contains("x[0]=2", ex.Message);
    }

    [Fact]
    public void Evaluate_BadInputIsAnError()
    {
        Assert.Contains("fractional power",
            Assert.Throws<EvaluationException>(() => Evaluate.AtDouble(Sqrt(X), new Dictionary<Var, Rational> { [X] = -1 })).Message);
        Assert.Contains("no value for variable x[1]",
            Assert.Throws<EvaluationException>(() => Evaluate.AtDouble(X + Y, new Dictionary<Var, Rational> { [X] = 1 })).Message);
        Assert.Contains("log(-1)", Assert.Throws<ArgumentException>(() => Log(-1)).Message);
        Assert.Throws<DivideByZeroException>(() => One / Zero);
        Assert.Throws<ArgumentException>(() => Sqrt(-2));
    }

    [Fact]
    public void Equivalence_ReportsMethodAndMismatch()
    {
        Assert.Equal(Method.Canonical, Equivalence.Compare([X * (Y + One)], [X * (Y + One)]).Method);
        Assert.Equal(Method.Canonical, Equivalence.Compare([X * (Y + One)], [X * Y + X]).Method); // after expansion
        var expanded = Equivalence.Compare([Tanh(X)], [(Exp(Scale(X, 2)) - One) / (Exp(Scale(X, 2)) + One)]);
        Assert.True(expanded.Equal);
        Assert.Equal(Method.RandomizedHighPrecision, expanded.Method);
        var wrong = Equivalence.Compare([Exp(X)], [One + X + Pow(X, 2) / 2]);
        Assert.False(wrong.Equal);
        Assert.Contains("entry 0 at point {x[0]=", wrong.Mismatch);
        Assert.Contains("derived = ", wrong.Mismatch);
    }

    [Fact]
    public void Equivalence_DetectsDifferencesBelowDoublePrecision()
    {
        // 1e-30 is invisible in float64 but not at 45 digits
        var tiny = Num(new Rational(1, System.Numerics.BigInteger.Pow(10, 30)));
        Assert.False(Equivalence.Compare([Exp(X)], [Exp(X) + tiny]).Equal);
    }

    [Fact]
    public void Substitute_RebuildsCanonically()
    {
        var u = Var.Scalar("u");
        Assert.Same(Exp(X + Y), (Exp(u) * Exp(Y)).Substitute(new Dictionary<Var, Expr> { [u] = X }));
    }
}
