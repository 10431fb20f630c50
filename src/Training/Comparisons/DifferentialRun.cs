using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Training.Twin;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// A differential case trained for <see cref="DifferentialRun.Steps"/> Adam steps through both pipelines: the losses
/// of each step and every gradient tensor of step 1 (hand-derived against autograd).
/// </summary>
public sealed record DifferentialResult(
    DifferentialCase Case, ScalarType Dtype, double[] HandLosses, double[] TwinLosses, IReadOnlyList<TensorComparison> Step1)
{
    /// <summary>|hand − twin| of the loss logged at <paramref name="step"/> (1-based; step k sees the parameters after k − 1
    /// updates).</summary>
    public double LossDelta(int step) => Math.Abs(HandLosses[step - 1] - TwinLosses[step - 1]);

    public double WorstRel => Step1.Count == 0 ? double.PositiveInfinity : Step1.Max(c => c.Finite ? c.MaxRel : double.PositiveInfinity);

    public string Row() =>
        $"{Case.Name,-16} {(Dtype == ScalarType.Float64 ? "f64" : "f32")}  grad rel {WorstRel:E2}  loss Δ step1 {LossDelta(1):E2}  step2 "
            + $"{LossDelta(2):E2}"
        + $"  step3 {LossDelta(3):E2}"
            + (double.IsNaN(Case.BookStep2Delta) ? "  (not a book case)" : $"  (book step2 {Case.BookStep2Delta:E2})");

    /// <summary>
    /// Every way the run misses its bounds, one line each (empty when it passes): each step-1 gradient tensor against
    /// the dtype's bound, and the loss of each step. float64: both pipelines round at 1e-16 and three Adam steps keep the
    /// loss within 1e-12 relative. float32: step 1 is forward-only rounding (1e-5); steps 2–3 add the step-1 update's
    /// rounding (1e-3 at most, the book's tolerance).
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        bool f64 = Dtype == ScalarType.Float64;
        double gradientBound = f64 ? DifferentialCatalog.Float64Bound : Case.Float32Bound;
        var problems = Step1.Where(c => !c.Within(gradientBound))
            .Select(c => $"{Case.Name} {Dtype}: {c.Explain(gradientBound)} (bound {gradientBound:E0})").ToList();
        if (Step1.Count == 0) problems.Add($"{Case.Name} {Dtype}: no step-1 gradients (a non-finite loss or gradient)");
        for (int step = 1; step <= DifferentialRun.Steps; step++)
        {
            double bound = (f64 ? 1e-12 : step == 1 ? 1e-5 : 1e-3) * Math.Abs(TwinLosses[step - 1]);
            if (!(LossDelta(step) <= bound))
                problems.Add(
                    $"{Case.Name} {Dtype}: step-{step} loss {HandLosses[step - 1]:R} vs {TwinLosses[step - 1]:R}, |Δ| "
                    + $"{LossDelta(step):E2} > {bound:E2}");
        }
        return problems;
    }
}

/// <summary>
/// The book's oracle mechanism (training facts §2.1–2.2) in one process: identical He-initialised parameters, identical
/// batches, Adam lr 0.001 (no decay; smoothing as the case says), the hand-derived graph and the autograd twin each with its own
/// optimizer. Unlike the book it also compares the step-1 gradient tensors themselves: Adam's first update is about
/// lr·sign(g), so the step-2 loss alone passes a gradient off by a positive factor.
/// </summary>
public static class DifferentialRun
{
    public const int Steps = 3;
    public const double LearningRate = 0.001;

    /// <summary>
    /// Errors are measured against at least this fraction of the net's largest gradient entry (1 %: a wrong factor on a
    /// tensor at that scale still shows as its own relative error). Needed where a gradient is
    /// zero in exact arithmetic: in the UIB case the expand BN's γ feeds ReLU then a per-channel depthwise conv then BN,
    /// so at γ = 1, β = 0 the next BN cancels γ exactly and ∂L/∂γ is rounding noise (|g| ~ 1e-5 against ~4 elsewhere).
    /// </summary>
    public const double ScaleFloor = 1e-2;

    /// <summary>
    /// The book's oracle data (training facts §2.2): <paramref name="count"/> consecutive batches of the set's first
    /// images in file order, pixels/255 (float32 [B, D], int64 labels).
    /// </summary>
    public static List<(Tensor X, Tensor Y)> Batches(ImageSet set, int count, int batchSize = 4)
    {
        int d = set.Channels * set.Height * set.Width;
        var batches = new List<(Tensor, Tensor)>();
        for (int b = 0; b < count; b++)
        {
            var x = new float[batchSize * d];
            var y = new long[batchSize];
            for (int i = 0; i < batchSize; i++)
            {
                set.Normalize(b * batchSize + i, x.AsSpan(i * d, d));
                y[i] = set.Labels[b * batchSize + i];
            }
            batches.Add((tensor(x, [batchSize, d]), tensor(y)));
        }
        return batches;
    }

    /// <param name="batches">At least <see cref="Steps"/> (flat images [B, D], labels [B]) pairs.</param>
    /// <param name="alterHand">Test hook: replaces the hand-derived gradient of tensor i (a deliberately wrong rule).</param>
    /// <param name="device">where both pipelines run (default CPU); the batches may live anywhere</param>
    public static DifferentialResult Run(DifferentialCase c, ScalarType dtype, IReadOnlyList<(Tensor X, Tensor Y)> batches,
        Func<int, Tensor, Tensor>? alterHand = null, Device? device = null)
    {
        device ??= CPU;
        if (batches.Count < Steps) throw new ArgumentException($"{c.Name}: {Steps} batches needed, {batches.Count} given");
        var config = new TrainConfig(LearningRate, (int)batches[0].Y.shape[0], 1) { UseAdam = true };
        using var hand = HandModel.Create(c.Spec, dtype, device);
        using var twin = new TwinModel(c.Spec, dtype, device);
        using var handOptimizer = Optimizer.For(config, hand.Parameters);
        using var twinOptimizer = Optimizer.For(config, twin.Parameters);
        var (handLosses, twinLosses) = (new double[Steps], new double[Steps]);
        IReadOnlyList<TensorComparison> step1 = [];
        for (int step = 1; step <= Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = (batches[step - 1].X.to(dtype, device), batches[step - 1].Y.to(device));
            var (handLoss, handGrads) = hand.Step(x, y, c.Smoothing, step);
            var (twinLoss, twinGrads) = twin.Step(x, y, c.Smoothing, step);
            (handLosses[step - 1], twinLosses[step - 1]) = (handLoss, twinLoss);
            if (handGrads is null || twinGrads is null)
            {
                for (int rest = step; rest < Steps; rest++) handLosses[rest] = twinLosses[rest] = double.NaN;
                break;
            }
            if (alterHand is not null) handGrads = handGrads.Select((g, i) => alterHand(i, g)).ToList();
            if (step == 1)
            {
                double floor = ScaleFloor * twinGrads.Max(g => g.abs().max().to(ScalarType.Float64).item<double>());
                step1 = hand.Parameters.Select((p, i) => GradientComparison.Compare(p.Name, handGrads[i], twinGrads[i], floor)).ToList();
            }
            handOptimizer.Apply(handGrads, LearningRate);
            twinOptimizer.Apply(twinGrads, LearningRate);
        }
        return new DifferentialResult(c, dtype, handLosses, twinLosses, step1);
    }
}
