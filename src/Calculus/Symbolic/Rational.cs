using System.Numerics;

namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>An exact rational number, always in lowest terms with a positive denominator.</summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public Rational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException($"rational {num}/0");
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        Num = num;
        Den = num.IsZero ? BigInteger.One : den;
    }

    public static readonly Rational Zero = new(0, 1);
    public static readonly Rational One = new(1, 1);
    public static readonly Rational Half = new(1, 2);

    public bool IsZero => Num.IsZero;
    public bool IsOne => Num.IsOne && Den.IsOne;
    public bool IsInteger => Den.IsOne;
    public int Sign => Num.Sign;

    public static implicit operator Rational(int n) => new(n, 1);
    public static implicit operator Rational(long n) => new(n, 1);
    public static Rational operator +(Rational a, Rational b) => new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) => new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a) => new(-a.Num, a.Den);
    public static Rational operator *(Rational a, Rational b) => new(a.Num * b.Num, a.Den * b.Den);
    public static Rational operator /(Rational a, Rational b) => new(a.Num * b.Den, a.Den * b.Num);
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>The largest integer not above this value.</summary>
    public BigInteger Floor() => BigInteger.Divide(Num - (Num.Sign < 0 ? Den - 1 : 0), Den);

    /// <summary>a^n for an integer n (a ≠ 0 when n &lt; 0).</summary>
    public Rational PowInt(BigInteger n)
    {
        if (n.Sign < 0) return One / PowInt(-n);
        int k = (int)n;
        return new(BigInteger.Pow(Num, k), BigInteger.Pow(Den, k));
    }

    public double ToDouble() =>
        (double)Num / (double)Den is var d && double.IsFinite(d) ? d
        : Math.Exp(BigInteger.Log(BigInteger.Abs(Num)) - BigInteger.Log(Den)) * Num.Sign;

    /// <summary>Nearest rational with the given denominator (used to draw exact random points).</summary>
    public static Rational FromDouble(double x, int den = 1 << 20) => new(new BigInteger(Math.Round(x * den)), den);

    public bool Equals(Rational other) => Num == other.Num && Den == other.Den;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);
    public int CompareTo(Rational other) => (Num * other.Den).CompareTo(other.Num * Den);
    public override string ToString() => Den.IsOne ? Num.ToString() : $"{Num}/{Den}";
}
