using System.Text;

namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>Readable math notation: <c>2*x[0]*W[0,1] - exp(z[1])/(1 + exp(z[0]))</c>, <c>sqrt(u)</c>, <c>u^(3/2)</c>.</summary>
public static class Printer
{
    public static string Print(Expr e) => Go(e, 0);

    /// <summary>At most <paramref name="max"/> characters, for error messages.</summary>
    public static string Short(Expr e, int max = 160)
    {
        var s = Print(e);
        return s.Length <= max ? s : s[..max] + $"… ({e.DagSize()} nodes)";
    }

    // precedence: 0 sum context, 1 product context, 2 power base
    static string Go(Expr e, int prec) => e switch
    {
        Const c => Wrap(c.Value.ToString(), prec >= 1 && (c.Value.Sign < 0 || !c.Value.IsInteger) || prec >= 2 && c.Value.Sign < 0),
        NamedConst n => n.Name,
        Var v => v.Name,
        Sum s => Wrap(PrintSum(s), prec >= 1),
        Product p => Wrap(PrintProduct(p), prec >= 2),
        Apply a => $"{a.Fn.ToString().ToLowerInvariant()}({Go(a.Arg, 0)})",
        Max m => $"max({Go(m.A, 0)}, {Go(m.B, 0)})",
        _ => e.GetType().Name,
    };

    static string Wrap(string s, bool paren) => paren ? $"({s})" : s;

    static (int, string, int) DisplayKey(Expr e) => e switch
    {
        Var v => (0, v.Tensor, v.Flat),
        Product p when p.Factors[0].Base is Var v => (1, v.Tensor, v.Flat),
        _ => (2, "", e.Id),
    };

    static string PrintSum(Sum s)
    {
        var sb = new StringBuilder();
        foreach (var (t, c) in s.Terms.OrderBy(t => DisplayKey(t.Term)))
        {
            var mag = c.Sign < 0 ? -c : c;
            var body = mag.IsOne ? Go(t, 1) : $"{Go(Expr.Num(mag), 1)}*{Go(t, 1)}";
            sb.Append(sb.Length == 0 ? (c.Sign < 0 ? "-" : "") : (c.Sign < 0 ? " - " : " + ")).Append(body);
        }
        if (!s.Constant.IsZero)
            sb.Append(s.Constant.Sign < 0 ? " - " : " + ").Append((s.Constant.Sign < 0 ? -s.Constant : s.Constant).ToString());
        return sb.ToString();
    }

    static string PrintProduct(Product p)
    {
        var ordered = p.Factors.OrderBy(f => DisplayKey(f.Base)).ToList();
        var num = ordered.Where(f => f.Exp.Sign > 0).Select(f => Power(f.Base, f.Exp)).ToList();
        var den = ordered.Where(f => f.Exp.Sign < 0).Select(f => Power(f.Base, -f.Exp)).ToList();
        var top = num.Count == 0 ? "1" : string.Join("*", num);
        if (den.Count == 0) return top;
        return den.Count == 1 ? $"{top}/{den[0]}" : $"{top}/({string.Join("*", den)})";
    }

    static string Power(Expr b, Rational e) =>
        e.IsOne ? Go(b, 1) : e == Rational.Half ? $"sqrt({Go(b, 0)})" : e.IsInteger ? $"{Go(b, 2)}^{e}" : $"{Go(b, 2)}^({e})";
}
