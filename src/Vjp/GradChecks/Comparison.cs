using System.Globalization;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>Which check a comparison belongs to: what the analytic side is and what it is held to.</summary>
public enum CheckKind
{
    /// <summary>Reverse mode: the backward (Jᵀ·v) against central differences of the forward.</summary>
    Vjp,

    /// <summary>Forward mode: J·u (by double backward) against the same central differences.</summary>
    Jvp,

    /// <summary>The numeric side itself: the forward is not finite at a perturbed point, or the analytic side is not finite.</summary>
    FiniteDifference,

    /// <summary>The gradient of the gradient (double backward) against central differences of the backward.</summary>
    SecondOrder,

    /// <summary>Two runs of the backward on the same cotangent, against each other.</summary>
    Determinism,
}

/// <summary>What a checked operand is to the subject.</summary>
public enum OperandKind
{
    /// <summary>An input of the function, module or rule.</summary>
    Input,

    /// <summary>A module or rule parameter.</summary>
    Parameter,

    /// <summary>The cotangent dy, an operand of the second-order check.</summary>
    Cotangent,
}

/// <summary>
/// One compared quantity: a Jacobian entry (full mode), a projection ⟨v, J·u⟩ or a localised element (fast mode), an
/// element of two backward runs (determinism). Errors are derived: |analytic − numeric| and that over |numeric|.
/// </summary>
/// <param name="Check">Which check.</param>
/// <param name="Operand">The input or parameter name.</param>
/// <param name="OperandKind">Input, parameter or cotangent.</param>
/// <param name="Index">The element of the operand (row-major multi-index); empty for a whole-operand projection.</param>
/// <param name="OutputIndex">The output element (full mode, and fast-mode JVP); null otherwise.</param>
/// <param name="Direction">The projection (1-based) in fast mode; null in full mode.</param>
/// <param name="Analytic">The analytic value (for <see cref="CheckKind.Determinism"/>: the first run).</param>
/// <param name="Numeric">The numeric value (for <see cref="CheckKind.Determinism"/>: the later run).</param>
/// <param name="Bound">The largest |analytic − numeric| that passes.</param>
/// <param name="Atol">The absolute tolerance the bound was built from.</param>
/// <param name="Rtol">The relative tolerance the bound was built from.</param>
/// <param name="Step">The difference step h (0 when no difference was taken).</param>
/// <param name="Method">How the numeric value was obtained, e.g. "central FD", "Richardson of central FD at h, h/2, h/4".</param>
/// <param name="Passed">Whether the error is within the bound (and both sides are finite).</param>
/// <param name="Kink">The declared kink this element lies at (within the step), if any.</param>
/// <param name="Note">A hint for this comparison (e.g. a suspected undeclared kink), if any.</param>
/// <param name="OutputLabel">What the output element is, where its index alone does not say (second order: which gradient).</param>
public sealed record Comparison(
    CheckKind Check, string Operand, OperandKind OperandKind, long[] Index, long[]? OutputIndex, int? Direction,
    double Analytic, double Numeric, double Bound, double Atol, double Rtol, double Step, string Method, bool Passed,
    Kink? Kink = null, string? Note = null, string? OutputLabel = null)
{
    /// <summary>|analytic − numeric|.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>|analytic − numeric| / |numeric| (∞ when numeric is 0 and the error is not).</summary>
    public double RelativeError => AbsoluteError == 0 ? 0 : AbsoluteError / Math.Abs(Numeric);

    /// <summary>Error over bound: above 1 fails; NaN sides count as ∞. Orders comparisons by how badly they miss.</summary>
    public double Severity =>
        double.IsFinite(Analytic) && double.IsFinite(Numeric)
            ? (Bound > 0 ? AbsoluteError / Bound : AbsoluteError > 0 ? double.PositiveInfinity : 0)
            : double.PositiveInfinity;

    /// <summary>"input 'x'", "parameter 'weight'" or "cotangent 'dy'".</summary>
    public string Culprit => $"{OperandKind.ToString().ToLowerInvariant()} '{Operand}'";

    /// <summary>True for a fast-mode projection over the whole operand (no single element).</summary>
    public bool IsProjection => Index.Length == 0 && Direction is not null;

    /// <summary>The element as printed: "[2, 3]", or "(all elements)" for a whole-operand projection.</summary>
    public string Element => IsProjection ? "(all elements)" : FormatIndex(Index);

    /// <summary>The check's name in reports: "VJP", "JVP", "FD", "second order", "determinism".</summary>
    public string CheckName => Name(Check);

    /// <summary>The comparison as one line of a report (the format of <see cref="GradCheckResult.Message"/>).</summary>
    public string Describe()
    {
        if (Check == CheckKind.Determinism)
            return $"Determinism: {Culprit} {Element}: backward run 1 gave {G(Analytic)}, {Method} gave {G(Numeric)}; "
                + $"abs err {E(AbsoluteError)} > non-determinism tolerance {E(Bound)}";
        var where = OutputIndex is null ? "" : $", output {FormatIndex(OutputIndex)}";
        if (OutputLabel is not null) where += $" ({OutputLabel})";
        if (Direction is not null)
            where += IsProjection || OutputIndex is not null ? $", projection {Direction}" : $", cotangent of projection {Direction}";
        var kink = Kink is null ? "" : $" at the declared {Kink}";
        var h = Step > 0 ? $", h = {Step.ToString("g3", CultureInfo.InvariantCulture)}" : "";
        var head = Check switch
        {
            CheckKind.Vjp => "VJP mismatch",
            CheckKind.Jvp => "JVP mismatch",
            CheckKind.SecondOrder => "Second-order mismatch",
            _ => "FD failure",
        };
        var line = $"{head}{kink}: {Culprit} {Element}{where}: analytic {G(Analytic)} ({AnalyticSource}), "
            + $"numeric {G(Numeric)} ({Method}{h}); abs err {E(AbsoluteError)}, rel err {E(RelativeError)}, "
            + $"bound {E(Bound)} (atol {E(Atol)}, rtol {E(Rtol)})";
        return Note is null ? line : $"{line}; {Note}";
    }

    /// <inheritdoc/>
    public override string ToString() => (Passed ? "ok   " : "FAIL ") + Describe();

    string AnalyticSource => Check switch
    {
        CheckKind.Jvp => "forward mode by double backward",
        CheckKind.SecondOrder => "double backward",
        _ => "backward",
    };

    /// <summary>A check's name in reports.</summary>
    public static string Name(CheckKind check) => check switch
    {
        CheckKind.Vjp => "VJP",
        CheckKind.Jvp => "JVP",
        CheckKind.FiniteDifference => "FD",
        CheckKind.SecondOrder => "second order",
        _ => "determinism",
    };

    /// <summary>A multi-index as "[i, j, …]".</summary>
    public static string FormatIndex(long[] index) => "[" + string.Join(", ", index) + "]";

    internal static string G(double v) => double.IsFinite(v) ? v.ToString("g10", CultureInfo.InvariantCulture) : NonFinite(v);

    internal static string E(double v) => double.IsFinite(v) ? v.ToString("0.0e+00", CultureInfo.InvariantCulture) : NonFinite(v);

    static string NonFinite(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
}
