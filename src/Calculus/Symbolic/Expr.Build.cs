using System.Numerics;

namespace LeanMlirVerify.Calculus.Symbolic;

// The smart constructors: every simplification rule of the canonical form lives in this file.
public abstract partial class Expr
{
    public static readonly Expr Zero = Const.Of(0);
    public static readonly Expr One = Const.Of(1);
    public static readonly Expr Pi = NamedConst.Of("π");

    public static Expr Num(Rational r) => Const.Of(r);
    public static Expr Num(long num, long den) => Const.Of(new Rational(num, den));
    public static implicit operator Expr(int n) => Const.Of(n);
    public static implicit operator Expr(Rational r) => Const.Of(r);

    public static Expr operator +(Expr a, Expr b) => Add([a, b]);
    public static Expr operator -(Expr a, Expr b) => Add([a, Scale(b, -1)]);
    public static Expr operator -(Expr a) => Scale(a, -1);
    public static Expr operator *(Expr a, Expr b) => Mul([a, b]);
    public static Expr operator /(Expr a, Expr b) => Mul([a, Pow(b, -1)]);

    public bool IsConst(out Rational value)
    {
        value = this is Const c ? c.Value : Rational.Zero;
        return this is Const;
    }

    public static Expr Scale(Expr e, Rational c) => c.IsOne ? e : Add([e], c);

    /// <summary>Σ terms, flattened, like terms collected, constants folded.</summary>
    public static Expr Add(IEnumerable<Expr> terms) => Add(terms, Rational.One);

    static Expr Add(IEnumerable<Expr> terms, Rational scale)
    {
        var constant = Rational.Zero;
        var acc = new Dictionary<Expr, Rational>();
        foreach (var e in terms)
        {
            switch (e)
            {
                case Const c: constant += scale * c.Value; break;
                case Sum s:
                    constant += scale * s.Constant;
                    foreach (var (t, k) in s.Terms) Accumulate(acc, t, scale * k);
                    break;
                default: Accumulate(acc, e, scale); break;
            }
        }
        var list = acc.Where(kv => !kv.Value.IsZero).Select(kv => (kv.Key, kv.Value)).OrderBy(kv => kv.Key.Id).ToArray();
        if (list.Length == 0) return Const.Of(constant);
        if (constant.IsZero && list.Length == 1 && list[0].Value.IsOne) return list[0].Key;
        return Sum.Of(constant, [.. list]);
    }

    static void Accumulate(Dictionary<Expr, Rational> acc, Expr key, Rational k) =>
        acc[key] = acc.TryGetValue(key, out var old) ? old + k : k;

    public static Expr Mul(IEnumerable<Expr> factors)
    {
        var m = new MulBuilder();
        foreach (var f in factors) m.Add(f, Rational.One);
        return m.Build();
    }

    /// <summary>b^p for a rational p. Fractional powers of negative constants are rejected.</summary>
    public static Expr Pow(Expr b, Rational p)
    {
        if (p.IsZero) return One;
        if (p.IsOne) return b;
        if (b is Const { Value.IsZero: true } && p.Sign < 0)
            throw new DivideByZeroException($"0^({p}): division by zero");
        var m = new MulBuilder();
        m.Add(b, p);
        return m.Build();
    }

    public static Expr Sqrt(Expr u) => Pow(u, Rational.Half);

    public static Expr Exp(Expr u) => u is Const { Value.IsZero: true } ? One : Apply.Of(Fn.Exp, u);

    public static Expr Log(Expr u) => u switch
    {
        Const { Value.IsOne: true } => Zero,
        Const c when c.Value.Sign <= 0 => throw new ArgumentException($"log({c}): log of a non-positive constant"),
        Apply { Fn: Fn.Exp } a => a.Arg,
        _ => Apply.Of(Fn.Log, u),
    };

    public static Expr Tanh(Expr u) => u is Const { Value.IsZero: true } ? Zero : Apply.Of(Fn.Tanh, u);
    public static Expr Erf(Expr u) => u is Const { Value.IsZero: true } ? Zero : Apply.Of(Fn.Erf, u);
    public static Expr Relu(Expr u) => u is Const c ? (c.Value.Sign > 0 ? c : Zero) : Apply.Of(Fn.Relu, u);
    public static Expr Step(Expr u) => u is Const c ? (c.Value.Sign > 0 ? One : Zero) : Apply.Of(Fn.Step, u);

    public static Expr MaxOf(Expr a, Expr b)
    {
        if (ReferenceEquals(a, b)) return a;
        if (a is Const ca && b is Const cb) return ca.Value >= cb.Value ? a : b;
        return Max.Of(a, b);
    }

    /// <summary>1/(1+exp(−u)).</summary>
    public static Expr Sigmoid(Expr u) => Pow(One + Exp(-u), -1);

    /// <summary>Collects c·Π base^exp, merging exp factors and normalising constant bases.</summary>
    sealed class MulBuilder
    {
        Rational coeff = Rational.One;
        readonly Dictionary<Expr, Rational> factors = [];
        readonly List<Expr> expArgs = [];

        public void Add(Expr e, Rational p)
        {
            switch (e)
            {
                case Const c: MulConst(c.Value, p); break;
                case Sum { Constant.IsZero: true, Terms.Length: 1 } s when p.IsInteger || s.Terms[0].Coeff.Sign > 0:
                    MulConst(s.Terms[0].Coeff, p);
                    Add(s.Terms[0].Term, p);
                    break;
                case Sum s when p.IsInteger || s.Terms[0].Coeff.Sign > 0:
                    // Make the first term's coefficient 1 so 2x+2y and 2(x+y) share one base.
                    var lead = s.Terms[0].Coeff;
                    if (!lead.IsOne) { MulConst(lead, p); e = Scale(s, Rational.One / lead); }
                    Accumulate(factors, e, p);
                    break;
                case Product q when p.IsInteger || q.Factors.All(f => !f.Exp.IsInteger || f.Base is Apply { Fn: Fn.Exp }):
                    foreach (var (b, k) in q.Factors) Add(b, k * p);
                    break;
                case Apply { Fn: Fn.Exp } a: expArgs.Add(Scale(a.Arg, p)); break;
                default: Accumulate(factors, e, p); break;
            }
        }

        void MulConst(Rational c, Rational p)
        {
            if (p.IsInteger)
            {
                if (c.IsZero && p.Sign < 0) throw new DivideByZeroException($"0^({p}): division by zero");
                coeff *= c.PowInt(p.Num);
                return;
            }
            if (c.Sign < 0) throw new ArgumentException($"({c})^({p}): fractional power of a negative constant");
            if (c.IsZero) { coeff = Rational.Zero; return; }
            if (!c.Num.IsOne) Accumulate(factors, Const.Of(new Rational(c.Num, 1)), p);
            if (!c.Den.IsOne) Accumulate(factors, Const.Of(new Rational(c.Den, 1)), -p);
        }

        public Expr Build()
        {
            if (coeff.IsZero) return Zero;
            var list = new List<(Expr, Rational)>();
            foreach (var (b, p) in factors)
            {
                var e = p;
                if (b is Const c)
                {
                    // n^(k + f) = n^k · n^f with 0 ≤ f < 1; exact roots fold into the coefficient.
                    var k = e.Floor();
                    coeff *= c.Value.PowInt(k);
                    e -= new Rational(k, 1);
                    if (!e.IsZero && ExactRoot(c.Value.Num, e.Den) is { } root)
                    {
                        coeff *= new Rational(root, 1).PowInt(e.Num);
                        e = Rational.Zero;
                    }
                }
                if (!e.IsZero) list.Add((b, e));
            }
            if (expArgs.Count > 0)
            {
                var ex = Exp(Expr.Add(expArgs));
                if (!ReferenceEquals(ex, One)) list.Add((ex, Rational.One));
            }
            Expr core = list.Count switch
            {
                0 => One,
                1 when list[0].Item2.IsOne => list[0].Item1,
                _ => Product.Of([.. list.OrderBy(f => f.Item1.Id)]),
            };
            return Scale(core, coeff);
        }

        static BigInteger? ExactRoot(BigInteger n, BigInteger q)
        {
            int k = (int)q;
            var r = new BigInteger(Math.Round(Math.Pow((double)n, 1.0 / k)));
            for (var c = BigInteger.Max(r - 1, 0); c <= r + 1; c++)
                if (BigInteger.Pow(c, k) == n) return c;
            return null;
        }
    }
}
