using System.Collections.Concurrent;

namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>
/// Symbolic differentiation, memoised per (node, variable) so shared subexpressions are differentiated once.
/// Non-smooth conventions: ReLU'(u) = Step(u) (so ReLU'(0) = 0); Step' = 0; at a tie of max(a, b) the derivative
/// is the first argument's.
/// </summary>
public static class Differentiate
{
    static readonly ConcurrentDictionary<(Expr, Var), Expr> Memo = new();

    public static Expr D(this Expr e, Var x)
    {
        if (e is Const or NamedConst) return Expr.Zero;
        if (e is Var v) return ReferenceEquals(v, x) ? Expr.One : Expr.Zero;
        if (!DependsOn(e, x)) return Expr.Zero;
        if (Memo.TryGetValue((e, x), out var found)) return found;
        var d = Compute(e, x);
        Memo.TryAdd((e, x), d);
        return d;
    }

    static Expr Compute(Expr e, Var x) => e switch
    {
        Sum s => Expr.Add(s.Terms.Select(t => Expr.Scale(t.Term.D(x), t.Coeff))),
        // d Π b_i^e_i = Σ_i e_i · b_i^(e_i−1) · Π_{j≠i} b_j^e_j · db_i
        Product p => Expr.Add(p.Factors.Select((f, i) =>
        {
            var db = f.Base.D(x);
            if (db is Const { Value.IsZero: true }) return Expr.Zero;
            var rest = p.Factors.Where((_, j) => j != i).Select(g => Expr.Pow(g.Base, g.Exp));
            return Expr.Mul([Expr.Num(f.Exp), Expr.Pow(f.Base, f.Exp - 1), .. rest, db]);
        })),
        Apply a => ApplyDerivative(a) * a.Arg.D(x),
        Max m => (Expr.One - Expr.Step(m.B - m.A)) * m.A.D(x) + Expr.Step(m.B - m.A) * m.B.D(x),
        _ => throw new NotSupportedException($"no derivative rule for {e}"),
    };

    static Expr ApplyDerivative(Apply a) => a.Fn switch
    {
        Fn.Exp => a,
        Fn.Log => Expr.Pow(a.Arg, -1),
        Fn.Tanh => Expr.One - Expr.Pow(a, 2),
        // erf'(u) = 2/√π · exp(−u²)
        Fn.Erf => Expr.Mul([2, Expr.Pow(Expr.Pi, -Rational.Half), Expr.Exp(-Expr.Pow(a.Arg, 2))]),
        Fn.Relu => Expr.Step(a.Arg),
        Fn.Step => Expr.Zero,
        _ => throw new NotSupportedException($"no derivative rule for function {a.Fn} in {a}"),
    };

    static readonly ConcurrentDictionary<Expr, HashSet<Var>> VarsMemo = new();

    /// <summary>The variables an expression depends on (memoised).</summary>
    public static IReadOnlySet<Var> Variables(Expr e)
    {
        if (VarsMemo.TryGetValue(e, out var s)) return s;
        var set = new HashSet<Var>();
        if (e is Var v) set.Add(v);
        else foreach (var c in e.Children) set.UnionWith(Variables(c));
        VarsMemo.TryAdd(e, set);
        return set;
    }

    public static bool DependsOn(Expr e, Var x) => Variables(e).Contains(x);

    /// <summary>True when no ReLU, Step or max occurs in the expression.</summary>
    public static bool IsSmooth(Expr e) => e switch
    {
        Max => false,
        Apply a => a.IsSmooth && IsSmooth(a.Arg),
        _ => e.Children.All(IsSmooth),
    };

    /// <summary>Replaces variables by expressions (memoised within one call), rebuilding through the smart constructors.</summary>
    public static Expr Substitute(this Expr e, IReadOnlyDictionary<Var, Expr> map)
    {
        var memo = new Dictionary<Expr, Expr>();
        return Go(e);

        Expr Go(Expr n)
        {
            if (memo.TryGetValue(n, out var r)) return r;
            r = n switch
            {
                Var v => map.TryGetValue(v, out var s) ? s : v,
                Const or NamedConst => n,
                Sum s => Expr.Add(s.Terms.Select(t => Expr.Scale(Go(t.Term), t.Coeff)).Append(Expr.Num(s.Constant))),
                Product p => Expr.Mul(p.Factors.Select(f => Expr.Pow(Go(f.Base), f.Exp))),
                Apply a => Rebuild(a.Fn, Go(a.Arg)),
                Max m => Expr.MaxOf(Go(m.A), Go(m.B)),
                _ => throw new NotSupportedException($"cannot substitute into {n}"),
            };
            memo[n] = r;
            return r;
        }
    }

    internal static Expr Rebuild(Fn fn, Expr arg) => fn switch
    {
        Fn.Exp => Expr.Exp(arg),
        Fn.Log => Expr.Log(arg),
        Fn.Tanh => Expr.Tanh(arg),
        Fn.Erf => Expr.Erf(arg),
        Fn.Relu => Expr.Relu(arg),
        Fn.Step => Expr.Step(arg),
        _ => throw new NotSupportedException($"unsupported function {fn}"),
    };
}
