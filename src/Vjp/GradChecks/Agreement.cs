namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// The one rule by which every check in the project compares an analytic gradient with a numeric or autograd one, and
/// builds the <see cref="Comparison"/> that explains it: GradCheck's modes, the book's FD checks (which keep their own
/// step), the adjoint test and the autograd oracle all judge and describe through here, so there is one definition of
/// "agrees" and one failure line (operand, element, both values, errors, bound).
/// </summary>
public static class Agreement
{
    /// <summary>Both sides finite and |analytic − numeric| ≤ bound (NaN never agrees, also with a NaN bound).</summary>
    public static bool Within(double analytic, double numeric, double bound) =>
        double.IsFinite(analytic) && double.IsFinite(numeric) && Math.Abs(analytic - numeric) <= bound;

    /// <summary>gradcheck's bound: atol + rtol·scale, the scale being |numeric| or the size of the terms that made it.</summary>
    public static double Bound(double atol, double rtol, double scale) => atol + rtol * scale;

    /// <summary>
    /// One judged comparison. A non-finite numeric side becomes an <see cref="CheckKind.FiniteDifference"/> failure (the
    /// forward was not finite at a perturbed point, or the step moved nothing); a non-finite analytic side says so.
    /// </summary>
    public static Comparison Judge(CheckKind check, string operand, OperandKind kind, long[] index, long[]? output, int? direction,
        double analytic, double numeric, double bound, double atol, double rtol, double step, string method, Kink? kink = null,
        string? note = null, string? outputLabel = null)
    {
        if (!double.IsFinite(numeric))
        {
            check = check == CheckKind.Determinism ? check : CheckKind.FiniteDifference;
            note ??= "the forward is not finite at the perturbed points, or the step moved nothing (below the dtype's resolution)";
        }
        else if (!double.IsFinite(analytic)) note ??= "the analytic side is not finite";
        return new(check, operand, kind, index, output, direction, analytic, numeric, bound, atol, rtol, step, method,
            Within(analytic, numeric, bound), kink, note, outputLabel);
    }

    /// <summary>
    /// Element-by-element comparisons of two flat row-major arrays of one operand of shape <paramref name="shape"/>; the
    /// bound of element i is atol + rtol·|numeric[i]|. Arrays of different lengths are a caller's error.
    /// </summary>
    public static IReadOnlyList<Comparison> Elements(string operand, OperandKind kind, long[] shape, double[] analytic,
        double[] numeric, double atol, double rtol, double step, string method)
    {
        if (analytic.Length != numeric.Length)
            throw new ArgumentException($"{operand}: the analytic side has {analytic.Length} entries, the numeric side {numeric.Length}");
        var list = new List<Comparison>(analytic.Length);
        for (var i = 0; i < analytic.Length; i++)
            list.Add(Judge(CheckKind.Vjp, operand, kind, Unravel(i, shape), null, null, analytic[i], numeric[i],
                Bound(atol, rtol, Math.Abs(numeric[i])), atol, rtol, step, method));
        return list;
    }

    /// <summary>The failing comparison that misses its bound by the most (NaN counts as ∞), or null when all pass.</summary>
    public static Comparison? WorstFailure(IEnumerable<Comparison> comparisons) =>
        comparisons.Where(c => !c.Passed).MaxBy(c => c.Severity);

    /// <summary>Row-major multi-index of flat element <paramref name="flat"/> of <paramref name="shape"/>.</summary>
    public static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return index;
    }
}
