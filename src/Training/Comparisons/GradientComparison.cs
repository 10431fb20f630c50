using LeanMlirVerify.Vjp.GradChecks;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// One gradient tensor, hand-derived (a) against autograd (b). Metrics:
/// max abs error = max|a − b|; relative error = max|a − b| / <see cref="Denominator"/>, by default max(tiny, max|b|), b the
/// autograd tensor — scale-aware: the worst entry error measured against the tensor's largest entry, so tiny entries do
/// not blow it up. NaN or Inf on either side is a failure (<see cref="Finite"/> false, errors +∞). The verdict and the
/// failure line are GradCheck's (<see cref="Agreement"/>), at the worst element.
/// </summary>
public sealed record TensorComparison(string Name, long[] Shape, double MaxAbs, double MaxRel, double ScaleOfReference, bool Finite,
    string NonFiniteSide = "")
{
    /// <summary>Guards the division when the reference is all zeros (then any non-zero error is huge).</summary>
    public const double Tiny = 1e-300;

    /// <summary>The element with the largest |a − b| (first of ties; empty for an empty or non-finite tensor).</summary>
    public long[] WorstIndex { get; init; } = [];

    /// <summary>The hand-derived value at <see cref="WorstIndex"/>.</summary>
    public double HandAt { get; init; }

    /// <summary>Autograd's value at <see cref="WorstIndex"/>.</summary>
    public double ReferenceAt { get; init; }

    /// <summary>What <see cref="MaxRel"/> divides by.</summary>
    public double Denominator { get; init; } = Tiny;

    /// <summary>The same errors measured against <paramref name="scale"/> (a case's or a step's largest entry) instead.</summary>
    public TensorComparison Against(double scale)
    {
        var denominator = Math.Max(Tiny, scale);
        return this with { MaxRel = MaxAbs / denominator, Denominator = denominator };
    }

    /// <summary>The worst element judged by the shared rule: |a − b| ≤ <paramref name="relativeBound"/> · the denominator.</summary>
    public Comparison AtWorst(double relativeBound) =>
        Agreement.Judge(CheckKind.Vjp, Name, OperandKind.Input, WorstIndex, null, null, HandAt, ReferenceAt,
            relativeBound * Denominator, 0, relativeBound, 0, "libtorch autograd",
            note: $"bound relative to {Denominator:E2}, the largest autograd entry it is measured against");

    public bool Within(double relativeBound) => Finite && AtWorst(relativeBound).Passed;

    /// <summary>One line: GradCheck's failure line at the worst element when over the bound, else <see cref="ToString"/>.</summary>
    public string Explain(double relativeBound) =>
        Finite && !Within(relativeBound) ? $"{this}; {AtWorst(relativeBound).Describe()}" : ToString();

    public override string ToString() =>
        Finite
            ? $"{Name}[{string.Join(",", Shape)}]: max abs {MaxAbs:E2}, max rel {MaxRel:E2} (max|ref| {ScaleOfReference:E2})"
            : $"{Name}[{string.Join(",", Shape)}]: NaN or Inf in the {NonFiniteSide} gradient";
}

public static class GradientComparison
{
    /// <summary>
    /// Compares <paramref name="hand"/> with <paramref name="reference"/> (autograd), in float64. The relative error divides
    /// by max(max|reference|, <paramref name="scaleFloor"/>): a floor lets a tensor whose true gradient is zero (pure
    /// rounding noise on both sides) be judged against the scale of the surrounding gradients instead of its own noise.
    /// </summary>
    public static TensorComparison Compare(string name, Tensor hand, Tensor reference, double scaleFloor = 0)
    {
        if (!hand.shape.SequenceEqual(reference.shape))
            throw new ArgumentException(
                $"{name}: hand-derived gradient has shape [{string.Join(",", hand.shape)}] "
                + $"but autograd's has [{string.Join(",", reference.shape)}]");
        using var scope = NewDisposeScope();
        var a = hand.detach().to(ScalarType.Float64, CPU);
        var b = reference.detach().to(ScalarType.Float64, CPU);
        var (handFinite, referenceFinite) = (a.isfinite().all().item<bool>(), b.isfinite().all().item<bool>());
        if (!handFinite || !referenceFinite)
            return new(name, hand.shape, double.PositiveInfinity, double.PositiveInfinity, double.NaN, false,
                handFinite ? "autograd" : referenceFinite ? "hand-derived" : "hand-derived and the autograd");
        var scale = b.numel() == 0 ? 0 : b.abs().max().item<double>();
        var compared = new TensorComparison(name, hand.shape, 0, 0, scale, true);
        if (a.numel() > 0)
        {
            var flat = (a - b).abs().reshape(-1).argmax().item<long>();
            var (at, bt) = (a.reshape(-1)[flat].item<double>(), b.reshape(-1)[flat].item<double>());
            compared = compared with
            {
                MaxAbs = Math.Abs(at - bt), WorstIndex = Agreement.Unravel(flat, hand.shape), HandAt = at, ReferenceAt = bt,
            };
        }
        return compared.Against(Math.Max(scale, scaleFloor));
    }

    /// <summary>max(tiny, the largest autograd entry over the finite tensors): the scale a case or a step is measured at.</summary>
    public static double CaseScale(IEnumerable<TensorComparison> comparisons) =>
        Math.Max(TensorComparison.Tiny, comparisons.Where(c => c.Finite).Select(c => c.ScaleOfReference).DefaultIfEmpty(0).Max());

    /// <summary>Throws naming every tensor that is non-finite or over the bound; returns the worst relative error.</summary>
    public static double RequireWithin(IReadOnlyList<TensorComparison> comparisons, double relativeBound, string what)
    {
        var bad = comparisons.Where(c => !c.Within(relativeBound)).ToList();
        if (bad.Count > 0)
            throw new GradientMismatchException(
                $"{what}: {bad.Count} of {comparisons.Count} gradient tensors exceed relative error {relativeBound:E1} "
                + "or are not finite:\n  "
                + string.Join("\n  ", bad.Select(c => c.Explain(relativeBound))));
        return comparisons.Count == 0 ? 0 : comparisons.Max(c => c.MaxRel);
    }
}

/// <summary>A hand-derived gradient that disagrees with autograd; the message names each tensor and its errors.</summary>
public sealed class GradientMismatchException(string message) : Exception(message);
