namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>
/// Distributes products over sums (positive integer powers of sums are multiplied out) everywhere in an expression,
/// so that polynomial and rational identities written in different groupings reach one canonical node. Gives up
/// (returns null) when a sum would exceed <see cref="MaxTerms"/> terms: the caller then decides by evaluation.
/// </summary>
public static class Expansion
{
    public const int MaxTerms = 200;
    /// <summary>Products of terms one call may form before it gives up.</summary>
    public const int MaxWork = 3000;

    sealed class TooLarge : Exception;

    [ThreadStatic] static int work;

    /// <summary>Expressions larger than this (distinct nodes) are not expanded.</summary>
    public const int MaxNodes = 150;

    /// <summary>Expands <paramref name="e"/>; <paramref name="memo"/> may be shared by calls on related expressions
    /// (one comparison), which keeps the outcome independent of other work running at the same time.</summary>
    public static Expr? Expand(Expr e, Dictionary<Expr, Expr>? memo = null)
    {
        memo ??= [];
        if (memo.TryGetValue(e, out var known)) return known;
        if (e.DagSize() > MaxNodes) return null;
        work = 0;
        try { return Go(e, memo); }
        catch (TooLarge) { return null; }
    }

    static Expr Go(Expr e, Dictionary<Expr, Expr> memo)
    {
        if (memo.TryGetValue(e, out var done)) return done;
        var r = e switch
        {
            Sum s => Checked(Expr.Add(s.Terms.Select(t => Expr.Scale(Go(t.Term, memo), t.Coeff)).Append(Expr.Num(s.Constant)))),
            Product p => p.Factors.Aggregate(Expr.One, (acc, f) => Times(acc, Power(Go(f.Base, memo), f.Exp))),
            Apply a => Differentiate.Rebuild(a.Fn, Go(a.Arg, memo)),
            Max m => Expr.MaxOf(Go(m.A, memo), Go(m.B, memo)),
            _ => e,
        };
        memo[e] = r;
        return r;
    }

    static Expr Power(Expr b, Rational p)
    {
        if (b is not Sum || !p.IsInteger || p.Sign < 0 || p.Num > 8) return Expr.Pow(b, p);
        var r = Expr.One;
        for (int k = 0; k < (int)p.Num; k++) r = Times(r, b);
        return r;
    }

    static Expr Times(Expr a, Expr b)
    {
        if (a is not Sum && b is not Sum) return a * b;
        var left = Pieces(a);
        var right = Pieces(b);
        work += left.Count * right.Count;
        if (work > MaxWork) throw new TooLarge();
        return Checked(Expr.Add(left.SelectMany(x => right.Select(y => x * y))));
    }

    static List<Expr> Pieces(Expr e) => e is Sum s
        ? [.. s.Terms.Select(t => Expr.Scale(t.Term, t.Coeff)), .. s.Constant.IsZero ? Array.Empty<Expr>() : [Expr.Num(s.Constant)]]
        : [e];

    static Expr Checked(Expr e) => e is Sum { Terms.Length: > MaxTerms } ? throw new TooLarge() : e;
}
