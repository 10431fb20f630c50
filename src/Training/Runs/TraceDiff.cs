using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

/// <summary>
/// Agreement tolerance with Python's isclose semantics |a − b| ≤ max(rtol·max(|a|, |b|), atol), as the original's
/// comparator; its three modes are given.
/// </summary>
public sealed record Tolerance(double Atol, double Rtol)
{
    public static Tolerance Strict { get; } = new(1e-4, 1e-3);
    public static Tolerance CrossGpu { get; } = new(1e-3, 1e-2);
    public static Tolerance CrossCompiler { get; } = new(1e-2, 1e-1);

    /// <summary>NaN or infinite values never agree.</summary>
    public bool Close(double a, double b) =>
        double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= Math.Max(Rtol * Math.Max(Math.Abs(a), Math.Abs(b)), Atol);
}

/// <summary>One step of two traces side by side.</summary>
public sealed record StepDiff(long Step, double LossA, double LossB, double LrA, double LrB)
{
    public double AbsLoss => Math.Abs(LossA - LossB);

    /// <summary>|a − b| / max(|a|, |b|); 0 when both are 0.</summary>
    public double RelLoss => LossA == LossB ? 0 : AbsLoss / Math.Max(Math.Abs(LossA), Math.Abs(LossB));

    public bool Agrees(Tolerance t) => t.Close(LossA, LossB) && t.Close(LrA, LrB);
}

/// <summary>The largest per-tensor gradient-norm difference between two traces.</summary>
public sealed record GradNormDiff(long Step, string Tensor, double A, double B)
{
    public double Abs => Math.Abs(A - B);

    /// <summary>|a − b| / max(|a|, |b|); 0 when both are 0.</summary>
    public double Rel => A == B ? 0 : Abs / Math.Max(Math.Abs(A), Math.Abs(B));
}

/// <summary>
/// Compares two traces step by step (by index, as the original's comparator): header fields, step counts, per-step
/// absolute and relative loss differences and lr, and the worst gradient-norm difference per parameter tensor.
/// </summary>
public sealed record TraceDiff(
    IReadOnlyList<string> HeaderDiffs, int StepsA, int StepsB, IReadOnlyList<StepDiff> Steps, GradNormDiff? WorstGradNorm)
{
    public double MaxAbsLoss => Steps.Count == 0 ? 0 : Steps.Max(s => double.IsNaN(s.AbsLoss) ? double.PositiveInfinity : s.AbsLoss);
    public double MaxRelLoss => Steps.Count == 0 ? 0 : Steps.Max(s => double.IsNaN(s.RelLoss) ? double.PositiveInfinity : s.RelLoss);
    public double MedianAbsLoss => Steps.Count == 0 ? 0 : Steps.Select(s => s.AbsLoss).Order().ElementAt(Steps.Count / 2);

    public IEnumerable<StepDiff> Mismatches(Tolerance t) => Steps.Where(s => !s.Agrees(t));

    /// <summary>Same header, same number of steps, every step within tolerance (and gradient norms, where both have them).</summary>
    public bool Agrees(Tolerance t) =>
        HeaderDiffs.Count == 0 && StepsA == StepsB && !Mismatches(t).Any()
            && (WorstGradNorm is null || t.Close(WorstGradNorm.A, WorstGradNorm.B));

    public static TraceDiff Compare(Trace a, Trace b)
    {
        var steps = a.Steps.Zip(b.Steps, (x, y) => new StepDiff(x.Step, x.Loss, y.Loss, x.Lr, y.Lr)).ToList();
        GradNormDiff? worst = null;
        foreach (var (x, y) in a.Steps.Zip(b.Steps))
        {
            if (x.GradNorms is null || y.GradNorms is null) continue;
            foreach (var (name, va) in x.GradNorms)
            {
                if (!y.GradNorms.TryGetValue(name, out double vb)) continue;
                var d = new GradNormDiff(x.Step, name, va, vb);
                if (worst is null || !(d.Abs <= worst.Abs)) worst = d;
            }
        }
        return new TraceDiff(HeaderDifferences(a.Header, b.Header), a.Steps.Count, b.Steps.Count, steps, worst);
    }

    /// <summary>The header fields the original's comparator requires equal: netspec_name, config, total_params, dataset.</summary>
    public static IReadOnlyList<string> HeaderDifferences(TraceHeader a, TraceHeader b)
    {
        var diffs = new List<string>();
        if (a.NetspecName != b.NetspecName) diffs.Add($"netspec_name {a.NetspecName} vs {b.NetspecName}");
        if (a.Config != b.Config)
            diffs.Add($"config {ConfigJson.ToJson(a.Config).ToJsonString()} vs {ConfigJson.ToJson(b.Config).ToJsonString()}");
        if (a.TotalParams != b.TotalParams) diffs.Add($"total_params {a.TotalParams} vs {b.TotalParams}");
        if (a.Dataset != b.Dataset) diffs.Add($"dataset {ConfigJson.DatasetName(a.Dataset)} vs {ConfigJson.DatasetName(b.Dataset)}");
        return diffs;
    }
}
