namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>How an equality was decided.</summary>
public enum Method
{
    /// <summary>Both sides simplify to the same canonical node, as built or after <see cref="Expansion.Expand"/>.</summary>
    Canonical,
    /// <summary>Canonical forms differ; both sides agree to 45 digits at several random rational points.</summary>
    RandomizedHighPrecision,
}

/// <summary>The result of comparing two lists of expressions entry by entry.</summary>
public sealed record Outcome(bool Equal, Method Method, string? Mismatch)
{
    public override string ToString() => Equal ? $"equal ({Method})" : $"DIFFERENT ({Method}): {Mismatch}";
}

/// <summary>
/// Decides whether expressions are equal: canonical forms first (as built, then fully expanded); where they differ, evaluation in
/// <see cref="HighPrecision"/> at <see cref="Points"/> seeded random rational points in [−2, 2], resampled while any
/// ReLU/Step argument or max difference is within 1/100 of its kink. Agreement means
/// |a − b| ≤ 10^−45 · max(1, |a|, |b|). A mismatch names the entry, the point and both values.
/// </summary>
public static class Equivalence
{
    public const int Points = 3;
    static readonly HighPrecision Tolerance = HighPrecision.FromRational(new Rational(1, System.Numerics.BigInteger.Pow(10, 45)));

    public static Outcome Compare(IReadOnlyList<Expr> left, IReadOnlyList<Expr> right, int seed = 1)
    {
        if (left.Count != right.Count) return new(false, Method.Canonical, $"{left.Count} entries versus {right.Count}");
        var differing = Enumerable.Range(0, left.Count).Where(k => !ReferenceEquals(left[k], right[k])).ToArray();
        // second canonical try: both sides fully expanded (products distributed over sums)
        var memo = new Dictionary<Expr, Expr>();
        differing = [
            .. differing.Where(k => Expansion.Expand(left[k], memo) is not { } a || !ReferenceEquals(a, Expansion.Expand(right[k], memo)))];
        if (differing.Length == 0) return new(true, Method.Canonical, null);

        var exprs = differing.SelectMany(k => new[] { left[k], right[k] }).ToArray();
        var vars = exprs.SelectMany(Differentiate.Variables).Distinct().OrderBy(v => v.Tensor).ThenBy(v => v.Flat).ToArray();
        var kinks = KinkArguments(exprs);
        var random = new Random(seed);
        for (int n = 0; n < Points; n++)
        {
            var point = SamplePoint(vars, kinks, random);
            var values = Evaluate.AtHighPrecision(exprs, point);
            for (int d = 0; d < differing.Length; d++)
            {
                var (a, b) = (values[2 * d], values[2 * d + 1]);
                var scale = new[] { HighPrecision.FromRational(1), a.Abs(), b.Abs() }.MaxBy(h => h.ToDouble());
                if ((a - b).Abs().ToDouble() > (scale * Tolerance).ToDouble())
                {
                    var k = differing[d];
                    var used = Differentiate.Variables(left[k]).Union(Differentiate.Variables(right[k])).ToHashSet();
                    var shown = point.Where(kv => used.Contains(kv.Key)).ToDictionary();
                    return new(false, Method.RandomizedHighPrecision,
                        $"entry {k} at point {{{Evaluate.Describe(shown)}}} (seed {seed}): derived = {a.ToString(20)}, closed form = "
                            + $"{b.ToString(20)}");
                }
            }
        }
        return new(true, Method.RandomizedHighPrecision, null);
    }

    /// <summary>A seeded random rational point in [−2, 2] (denominator 64) away from every kink of the given expressions.</summary>
    public static Dictionary<Var, Rational> SamplePoint(IReadOnlyList<Var> vars, IReadOnlyList<Expr> kinks, Random random)
    {
        for (int attempt = 0; ; attempt++)
        {
            var point = vars.ToDictionary(v => v, _ => new Rational(random.Next(-128, 129), 64));
            if (kinks.Count == 0) return point;
            var values = Evaluate.AtDouble(kinks, point);
            if (values.All(x => Math.Abs(x) > 0.01)) return point;
            if (attempt > 200) throw new InvalidOperationException($"no random point away from the kinks of {Printer.Short(kinks[0])}");
        }
    }

    /// <summary>Arguments of Step/ReLU and differences of max arguments: where the non-smooth pieces switch.</summary>
    public static List<Expr> KinkArguments(IEnumerable<Expr> exprs)
    {
        var seen = new HashSet<Expr>();
        var found = new HashSet<Expr>();
        var stack = new Stack<Expr>(exprs);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e)) continue;
            if (e is Apply { Fn: Fn.Relu or Fn.Step } a) found.Add(a.Arg);
            if (e is Max m) found.Add(m.B - m.A);
            foreach (var c in e.Children) stack.Push(c);
        }
        return [.. found];
    }
}
