namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>An expression could not be evaluated at a point: names the offending subexpression and the point.</summary>
public sealed class EvaluationException(string message) : Exception(message);

/// <summary>
/// Evaluates expressions at a point, in float64 (<see cref="F64"/>) or about 120 digits (<see cref="HighPrecision"/>).
/// Shared subexpressions are evaluated once per call. log of a value ≤ 0, division by zero, a fractional power of a
/// negative value and a non-finite result raise <see cref="EvaluationException"/>; nothing is silently NaN.
/// </summary>
public static class Evaluate
{
    public static double AtDouble(Expr e, IReadOnlyDictionary<Var, Rational> point) =>
        Many<F64>([e], v => new F64(Lookup(point, v, e).ToDouble()), () => Describe(point))[0].Value;

    public static double[] AtDouble(IReadOnlyList<Expr> es, IReadOnlyDictionary<Var, Rational> point) =>
        [.. Many<F64>(es, v => new F64(Lookup(point, v, es[0]).ToDouble()), () => Describe(point)).Select(x => x.Value)];

    /// <summary>Evaluates at a float64 point given per tensor name as row-major values (e.g. "W" → 12 values).</summary>
    public static double[] AtDouble(IReadOnlyList<Expr> es, IReadOnlyDictionary<string, double[]> point) =>
        [.. Many<F64>(es, v => point.TryGetValue(v.Tensor, out var a) && a.Length == v.Shape.Aggregate(1, (x, y) => x * y)
                ? new F64(a[v.Flat])
                : throw new EvaluationException(
                    $"no value for variable {v.Name}: the point needs tensor {v.Tensor} with {v.Shape.Aggregate(1, (x, y) => x * y)} "
                    + $"values (shape [{string.Join(",", v.Shape)}]); it has "
                    + $"{string.Join(", ", point.Select(kv => $"{kv.Key}: {kv.Value.Length}"))}"),
            () => string.Join("; ", point.Select(kv => $"{kv.Key} = [{string.Join(", ", kv.Value.Select(d => d.ToString("R")))}]")))
            .Select(x => x.Value)];

    public static HighPrecision[] AtHighPrecision(IReadOnlyList<Expr> es, IReadOnlyDictionary<Var, Rational> point) =>
        Many<HighPrecision>(es, v => HighPrecision.FromRational(Lookup(point, v, es[0])), () => Describe(point));

    static Rational Lookup(IReadOnlyDictionary<Var, Rational> point, Var v, Expr context) =>
        point.TryGetValue(v, out var r) ? r
            : throw new EvaluationException($"no value for variable {v.Name} while evaluating {Printer.Short(context)}");

    public static string Describe(IReadOnlyDictionary<Var, Rational> point) =>
        string.Join(", ", point.OrderBy(kv => kv.Key.Tensor).ThenBy(kv => kv.Key.Flat).Select(kv => $"{kv.Key.Name}={kv.Value}"));

    public static T[] Many<T>(IReadOnlyList<Expr> es, Func<Var, T> value, Func<string> pointText) where T : IScalar<T>
    {
        var memo = new Dictionary<Expr, T>();
        return [.. es.Select(Go)];

        T Go(Expr e)
        {
            if (memo.TryGetValue(e, out var r)) return r;
            r = e switch
            {
                Const c => T.FromRational(c.Value),
                NamedConst => T.Pi,
                Var v => value(v),
                Sum s => s.Terms.Aggregate(T.FromRational(s.Constant), (acc, t) => acc + T.FromRational(t.Coeff) * Go(t.Term)),
                Product p => p.Factors.Aggregate(T.FromRational(1), (acc, f) => acc * Power(Go(f.Base), f.Exp, f.Base)),
                Apply a => Call(a, Go(a.Arg)),
                Max m => Larger(Go(m.A), Go(m.B)),
                _ => throw new EvaluationException($"unsupported node {e.GetType().Name} in {Printer.Short(e)}"),
            };
            if (!r.IsFinite) throw Fail($"non-finite value {r.ToDouble()}", e);
            memo[e] = r;
            return r;
        }

        // max(a, b) keeps a at a tie, matching the derivative convention (first argument attaining the max).
        static T Larger(T a, T b) => (b + T.FromRational(-1) * a).Sign > 0 ? b : a;

        T Power(T x, Rational p, Expr b)
        {
            if (p.Sign < 0 && x.Sign == 0) throw Fail($"division by zero: {Printer.Short(b)} = 0 under exponent {p}", b);
            if (!p.IsInteger && x.Sign < 0) throw Fail($"fractional power {p} of negative value {x.ToDouble():R} of {Printer.Short(b)}", b);
            return T.Pow(x, p);
        }

        T Call(Apply a, T x) => a.Fn switch
        {
            Fn.Exp => T.Exp(x),
            Fn.Log => x.Sign > 0 ? T.Log(x) : throw Fail($"log of non-positive value {x.ToDouble():R}", a),
            Fn.Tanh => T.Tanh(x),
            Fn.Erf => T.Erf(x),
            Fn.Relu => x.Sign > 0 ? x : T.FromRational(0),
            Fn.Step => T.FromRational(x.Sign > 0 ? 1 : 0),
            _ => throw Fail($"unsupported function {a.Fn}", a),
        };

        EvaluationException Fail(string what, Expr at) => new($"{what} in {Printer.Short(at)} at point {pointText()}");
    }
}
