using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Oracle;

/// <summary>
/// One gradient tensor, hand-derived (a) against autograd (b). Metrics:
/// max abs error = max|a − b|; relative error = max|a − b| / max(tiny, max|b|), b the autograd tensor — scale-aware:
/// the worst entry error measured against the tensor's largest entry, so tiny entries do not blow it up.
/// NaN or Inf on either side is a failure (<see cref="Finite"/> false, errors +∞).
/// </summary>
public sealed record TensorComparison(string Name, long[] Shape, double MaxAbs, double MaxRel, double ScaleOfReference, bool Finite,
    string NonFiniteSide = "")
{
    /// <summary>Guards the division when the reference is all zeros (then any non-zero error is huge).</summary>
    public const double Tiny = 1e-300;

    public bool Within(double relativeBound) => Finite && MaxRel <= relativeBound;

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
                $"{name}: hand-derived gradient has shape [{string.Join(",", hand.shape)}] but autograd's has [{string.Join(",", reference.shape)}]");
        using var scope = NewDisposeScope();
        var a = hand.detach().to(ScalarType.Float64, CPU);
        var b = reference.detach().to(ScalarType.Float64, CPU);
        var (handFinite, referenceFinite) = (a.isfinite().all().item<bool>(), b.isfinite().all().item<bool>());
        if (!handFinite || !referenceFinite)
            return new(name, hand.shape, double.PositiveInfinity, double.PositiveInfinity, double.NaN, false,
                handFinite ? "autograd" : referenceFinite ? "hand-derived" : "hand-derived and the autograd");
        var maxAbs = a.numel() == 0 ? 0 : (a - b).abs().max().item<double>();
        var scale = b.numel() == 0 ? 0 : b.abs().max().item<double>();
        return new(name, hand.shape, maxAbs, maxAbs / Math.Max(TensorComparison.Tiny, Math.Max(scale, scaleFloor)), scale, true);
    }

    /// <summary>Throws naming every tensor that is non-finite or over the bound; returns the worst relative error.</summary>
    public static double RequireWithin(IReadOnlyList<TensorComparison> comparisons, double relativeBound, string what)
    {
        var bad = comparisons.Where(c => !c.Within(relativeBound)).ToList();
        if (bad.Count > 0)
            throw new GradientMismatchException(
                $"{what}: {bad.Count} of {comparisons.Count} gradient tensors exceed relative error {relativeBound:E1} or are not finite:\n  "
                + string.Join("\n  ", bad));
        return comparisons.Count == 0 ? 0 : comparisons.Max(c => c.MaxRel);
    }
}

/// <summary>A hand-derived gradient that disagrees with autograd; the message names each tensor and its errors.</summary>
public sealed class GradientMismatchException(string message) : Exception(message);
