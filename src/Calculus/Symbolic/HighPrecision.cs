using System.Numerics;

namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>
/// Binary fixed point with <see cref="Bits"/> fractional bits (about 120 decimal digits), used for the randomized
/// equality check. Exp, log, tanh and erf are computed by series with range reduction; erf adds guard bits
/// for the cancellation of its alternating series.
/// </summary>
public readonly struct HighPrecision : IScalar<HighPrecision>
{
    public const int Bits = 400;
    readonly BigInteger m; // value = m / 2^Bits
    HighPrecision(BigInteger mantissa) { m = mantissa; }

    static readonly BigInteger OneM = BigInteger.One << Bits;
    static readonly HighPrecision Ln2 = new(Atanh(new Rational(1, 3), Bits + 32) * 2 >> 32);
    static readonly HighPrecision PiValue = new((AtanInv(5, Bits + 32) * 16 - AtanInv(239, Bits + 32) * 4) >> 32);

    public static HighPrecision FromRational(Rational r) => new((r.Num << Bits) / r.Den);
    public static HighPrecision Pi => PiValue;
    public static HighPrecision operator +(HighPrecision a, HighPrecision b) => new(a.m + b.m);
    public static HighPrecision operator -(HighPrecision a, HighPrecision b) => new(a.m - b.m);
    public static HighPrecision operator *(HighPrecision a, HighPrecision b) => new(a.m * b.m >> Bits);
    public static HighPrecision operator /(HighPrecision a, HighPrecision b) => new((a.m << Bits) / b.m);
    public int Sign => m.Sign;
    public bool IsFinite => true;
    public HighPrecision Abs() => new(BigInteger.Abs(m));

    public static HighPrecision Pow(HighPrecision x, Rational p)
    {
        if (p.IsInteger)
        {
            var n = BigInteger.Abs(p.Num);
            var r = new HighPrecision(OneM);
            var b = x;
            while (!n.IsZero) { if (!n.IsEven) r *= b; b *= b; n >>= 1; }
            return p.Sign < 0 ? new HighPrecision(OneM) / r : r;
        }
        if (x.m.IsZero) return x;
        if (p.Den == 2) return Pow(Sqrt(x), new Rational(p.Num, 1));
        return Exp(FromRational(p) * Log(x));
    }

    public static HighPrecision Sqrt(HighPrecision x) => new(ISqrt(x.m << Bits));

    public static HighPrecision Exp(HighPrecision x)
    {
        // x = n·ln2 + r, |r| ≤ ln2/2; exp(r) = (exp(r / 2^16))^(2^16) by Taylor and squaring.
        var n = (x / Ln2).Round();
        var r = x - new HighPrecision(Ln2.m * n);
        const int halvings = 16;
        var y = new HighPrecision(r.m >> halvings);
        var sum = new HighPrecision(OneM);
        var term = new HighPrecision(OneM);
        for (int k = 1; !term.m.IsZero; k++) { term = new HighPrecision(term.m * y.m / k >> Bits); sum += term; }
        for (int i = 0; i < halvings; i++) sum *= sum;
        return n.Sign >= 0 ? new(sum.m << (int)n) : new(sum.m >> (int)-n);
    }

    public static HighPrecision Log(HighPrecision x)
    {
        // x = 2^n·y with y in [1, 2): log x = n·ln2 + 2·atanh((y−1)/(y+1)).
        int n = (int)(x.m.GetBitLength() - 1 - Bits);
        var y = n >= 0 ? new HighPrecision(x.m >> n) : new HighPrecision(x.m << -n);
        var one = new HighPrecision(OneM);
        var z = (y - one) / (y + one);
        var z2 = z * z;
        var sum = z;
        var power = z;
        for (int k = 3; !power.m.IsZero; k += 2) { power *= z2; sum += new HighPrecision(power.m / k); }
        return new HighPrecision(Ln2.m * n + sum.m * 2);
    }

    public static HighPrecision Tanh(HighPrecision x)
    {
        var e = Exp(x + x);
        var one = new HighPrecision(OneM);
        return (e - one) / (e + one);
    }

    public static HighPrecision Erf(HighPrecision x)
    {
        // erf x = 2/√π Σ (−1)^k x^(2k+1) / (k!(2k+1)); terms grow to about e^(x²), so add that many guard bits.
        double xd = x.ToDouble();
        int guard = 64 + (int)(xd * xd * 1.45);
        int bits = Bits + guard;
        var xm = x.m << guard;
        var one = BigInteger.One << bits;
        var x2 = xm * xm >> bits;
        var term = xm; // x^(2k+1)/k!
        var sum = xm;
        for (int k = 1; !term.IsZero; k++)
        {
            term = -(term * x2 >> bits) / k;
            sum += term / (2 * k + 1);
        }
        var s = new HighPrecision(sum >> guard);
        return s * FromRational(2) / Sqrt(PiValue);
    }

    BigInteger Round() => (m + (OneM >> 1)) >> Bits;

    public double ToDouble() => Math.ScaleB((double)m, -Bits);

    public override string ToString() => ToString(45);

    /// <summary>Decimal rendering with the given number of significant digits.</summary>
    public string ToString(int digits)
    {
        if (m.IsZero) return "0";
        var a = BigInteger.Abs(m);
        int exp10 = (int)Math.Floor((double)(a.GetBitLength() - Bits) * 0.30102999566398);
        // scaled = |x| · 10^(digits−1−exp10), rounded to an integer
        string text;
        while (true)
        {
            // scaled = |x| · 10^(digits−1−exp10), truncated; exactly `digits` digits when exp10 is right
            int shift = digits - 1 - exp10;
            var scaled = shift >= 0 ? (a * BigInteger.Pow(10, shift)) >> Bits : (a >> Bits) / BigInteger.Pow(10, -shift);
            text = scaled.ToString();
            if (text.Length > digits) exp10++;
            else if (text.Length < digits) exp10--;
            else break;
        }
        var mant = text.Length > 1 ? $"{text[0]}.{text[1..].TrimEnd('0')}".TrimEnd('.') : text;
        return $"{(m.Sign < 0 ? "-" : "")}{mant}e{exp10}";
    }

    static BigInteger ISqrt(BigInteger n)
    {
        if (n.Sign <= 0) return BigInteger.Zero;
        var x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
        while (true)
        {
            var y = (x + n / x) >> 1;
            if (y >= x) return x;
            x = y;
        }
    }

    // atanh(r) at the given number of bits, for |r| ≤ 1/3.
    static BigInteger Atanh(Rational r, int bits)
    {
        var z = (r.Num << bits) / r.Den;
        var z2 = z * z >> bits;
        var sum = z;
        var power = z;
        for (int k = 3; !power.IsZero; k += 2) { power = power * z2 >> bits; sum += power / k; }
        return sum;
    }

    // atan(1/q) at the given number of bits.
    static BigInteger AtanInv(int q, int bits)
    {
        var power = (BigInteger.One << bits) / q;
        var sum = power;
        var q2 = q * q;
        for (int k = 3, sign = -1; !power.IsZero; k += 2, sign = -sign) { power /= q2; sum += sign * (power / k); }
        return sum;
    }
}
