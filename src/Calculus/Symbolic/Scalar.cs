namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>A number type the evaluator can compute in. Domain checks (log of ≤ 0, 1/0, fractional power of a
/// negative) are done by the evaluator before these are called, so implementations may assume valid input.</summary>
public interface IScalar<T> where T : IScalar<T>
{
    static abstract T FromRational(Rational r);
    static abstract T Pi { get; }
    static abstract T operator +(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T Pow(T x, Rational p);
    static abstract T Exp(T x);
    static abstract T Log(T x);
    static abstract T Tanh(T x);
    static abstract T Erf(T x);
    int Sign { get; }
    bool IsFinite { get; }
    double ToDouble();
}

/// <summary>IEEE float64 evaluation.</summary>
public readonly record struct F64(double Value) : IScalar<F64>
{
    public static F64 FromRational(Rational r) => new(r.ToDouble());
    public static F64 Pi => new(Math.PI);
    public static F64 operator +(F64 a, F64 b) => new(a.Value + b.Value);
    public static F64 operator *(F64 a, F64 b) => new(a.Value * b.Value);
    public static F64 Pow(F64 x, Rational p) =>
        new(p.IsInteger && BigIntFits(p) ? IntPow(x.Value, (int)p.Num) : p == Rational.Half ? Math.Sqrt(x.Value)
        : Math.Pow(x.Value, p.ToDouble()));
    public static F64 Exp(F64 x) => new(Math.Exp(x.Value));
    public static F64 Log(F64 x) => new(Math.Log(x.Value));
    public static F64 Tanh(F64 x) => new(Math.Tanh(x.Value));
    public static F64 Erf(F64 x) => new(MathNet.Numerics.SpecialFunctions.Erf(x.Value));
    public int Sign => Math.Sign(Value);
    public bool IsFinite => double.IsFinite(Value);
    public double ToDouble() => Value;

    static bool BigIntFits(Rational p) => p.Num >= -64 && p.Num <= 64;
    static double IntPow(double x, int n)
    {
        if (n < 0) return 1 / IntPow(x, -n);
        double r = 1;
        for (int i = 0; i < n; i++) r *= x;
        return r;
    }
}
