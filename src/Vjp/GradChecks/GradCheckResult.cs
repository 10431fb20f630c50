using System.Text;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// The outcome of a gradient check, as a value: every compared quantity, the failures, the worst comparison (largest error
/// over bound), the elements checked at declared kinks, notes, and a message that spells out the failures.
/// </summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(string subject, ScalarType dtype, string mode, NumericReference reference,
        IReadOnlyList<Comparison> comparisons, IReadOnlyList<string> notes, int maxReported)
    {
        Subject = subject;
        Dtype = dtype;
        Mode = mode;
        Reference = reference;
        Comparisons = comparisons;
        Notes = notes;
        Failures = [.. comparisons.Where(c => !c.Passed).OrderByDescending(c => c.Severity)];
        Worst = comparisons.Count == 0 ? null : comparisons.MaxBy(c => c.Severity);
        Kinks = [.. comparisons.Where(c => c.Kink is not null)];
        Message = Format(maxReported);
    }

    /// <summary>What was checked, e.g. "function", "module Linear", "rule dense 3→2 [dense_has_vjp]".</summary>
    public string Subject { get; }

    /// <summary>The dtype of the analytic side (the subject's output at the tested point).</summary>
    public ScalarType Dtype { get; }

    /// <summary>The mode as run ("full Jacobian" or "fast, 4 random projections").</summary>
    public string Mode { get; }

    /// <summary>Where the numeric side was evaluated.</summary>
    public NumericReference Reference { get; }

    /// <summary>True when every comparison is within its bound.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Every compared quantity, in the order the check made them.</summary>
    public IReadOnlyList<Comparison> Comparisons { get; }

    /// <summary>The comparisons outside their bound, worst first.</summary>
    public IReadOnlyList<Comparison> Failures { get; }

    /// <summary>The comparison with the largest error over bound (null when nothing was compared).</summary>
    public Comparison? Worst { get; }

    /// <summary>The comparisons made at declared kinks (one-sided differences), passed or not.</summary>
    public IReadOnlyList<Comparison> Kinks { get; }

    /// <summary>Remarks that are not comparisons (e.g. a projection too large to localise).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// First line: verdict, subject, dtype, mode, numeric reference, counts. Then one line per failure, worst first (up to
    /// <see cref="GradCheckOptions.MaxReported"/>), in the format of <see cref="Comparison.Describe"/>; then the elements
    /// at declared kinks and the notes. When passed, the first line names the worst comparison.
    /// </summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => Message;

    string Format(int maxReported)
    {
        var sb = new StringBuilder();
        var what = $"{Subject} ({Dtype.ToString().ToLowerInvariant()}, {Mode}, numeric in {Numeric})";
        if (Passed)
        {
            sb.Append($"GradCheck passed for {what}: {Comparisons.Count} comparisons");
            if (Worst is { } w)
                sb.Append($"; worst {w.CheckName} at {w.Culprit} {w.Element}: abs err {Comparison.E(w.AbsoluteError)}, "
                    + $"bound {Comparison.E(w.Bound)}");
        }
        else
        {
            sb.Append($"GradCheck failed for {what}: {Failures.Count} of {Comparisons.Count} comparisons outside the bound");
            foreach (var f in Failures.Take(maxReported)) sb.Append('\n').Append(f.Describe());
            if (Failures.Count > maxReported) sb.Append($"\n… and {Failures.Count - maxReported} more (GradCheckResult.Failures)");
        }
        // One line per element (a full Jacobian compares each kink element once per output): its largest entry, the
        // one that shows the derivative.
        var kinks = Kinks.Where(k => k.Passed).GroupBy(k => (k.Culprit, k.Element))
            .Select(g => g.MaxBy(c => Math.Abs(c.Numeric))!).ToList();
        foreach (var k in kinks.Take(maxReported))
            sb.Append($"\nkink: {k.Culprit} {k.Element} is within the step of the declared {k.Kink}: compared with the {k.Method}"
                + $" (analytic {Comparison.G(k.Analytic)}, numeric {Comparison.G(k.Numeric)})");
        if (kinks.Count > maxReported) sb.Append($"\n… and {kinks.Count - maxReported} more elements at kinks (GradCheckResult.Kinks)");
        foreach (var n in Notes) sb.Append("\nnote: ").Append(n);
        return sb.ToString();
    }

    string Numeric => Reference == NumericReference.Float64 ? "float64" : Dtype.ToString().ToLowerInvariant();
}
