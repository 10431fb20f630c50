using System.Diagnostics;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// Losses of both sides, one comparison per parameter tensor (ParamTensors order) and a last one for the input
/// cotangent dx (which training never needs; the hand side computes it through <c>Network.ForwardWithInputCotangent</c>),
/// and where the time went.
/// </summary>
/// <remarks>
/// A gradient that is zero in exact arithmetic has no relative error: both sides hold rounding noise, and the ratio of
/// two noises is anything. The one such tensor here is attention's key bias (softmax ignores a shift shared by a row of
/// scores, and q·b_k is the same for every key). A tensor whose twin gradient is below <see cref="Vanishing"/> times
/// the step's largest gradient entry is therefore measured against that largest entry instead of its own.
/// </remarks>
public sealed record StepComparison(double HandLoss, double TwinLoss, IReadOnlyList<TensorComparison> Rows, string Timing = "")
{
    public const double Vanishing = 1e-12;

    public double LossDifference => Math.Abs(HandLoss - TwinLoss);

    /// <summary>The largest entry of any twin gradient tensor.</summary>
    public double StepScale => Rows.Max(r => r.Finite ? r.ScaleOfReference : 0);

    /// <summary>Tensors whose twin gradient vanishes at the step's scale (see remarks).</summary>
    public IReadOnlyList<TensorComparison> VanishingRows => Rows.Where(IsVanishing).ToList();

    /// <summary>Each row, the vanishing ones with their error measured against <see cref="StepScale"/>.</summary>
    public IReadOnlyList<TensorComparison> Scaled =>
        Rows.Select(r => IsVanishing(r) ? r.Against(StepScale) : r).ToList();

    /// <summary>
    /// Every way the step misses <see cref="HandTwinStep.Bound"/>, one line each (empty when it passes): each tensor
    /// (vanishing ones at the step's scale) and the loss (both sides round at 1e-16: 1e-12 of max(1, |loss|)).
    /// </summary>
    public IReadOnlyList<string> Problems(string what)
    {
        var problems = Scaled.Where(r => !r.Within(HandTwinStep.Bound))
            .Select(r => $"{what}: {r.Explain(HandTwinStep.Bound)} (bound {HandTwinStep.Bound:E0})").ToList();
        if (!(LossDifference <= 1e-12 * Math.Max(1, Math.Abs(TwinLoss))))
            problems.Add($"{what}: loss {HandLoss:R} vs {TwinLoss:R}, |Δ| {LossDifference:E2}");
        return problems;
    }

    /// <summary>The worst relative error over the tensors, vanishing ones at the step's scale.</summary>
    public double Worst => Scaled.Max(r => r.Finite ? r.MaxRel : double.PositiveInfinity);

    /// <summary>Throws naming every tensor over the bound (or not finite); returns the worst relative error.</summary>
    public double RequireWithin(double bound, string what) => GradientComparison.RequireWithin(Scaled, bound, what);

    bool IsVanishing(TensorComparison r) => r.Finite && r.ScaleOfReference <= Vanishing * StepScale;
}

/// <summary>
/// One float64 training step (parameter gradients and the input cotangent) of a spec through the trainer's graph (Vjp
/// rules only) and through the autograd twin on the same parameters and batch (batch 2, the spec's own input size), on
/// one device: the whole-network check of the tests and of <c>lmv check --twin</c>. Each side runs in its own dispose scope, so the
/// peak memory is one side's activations, not both; the network's parameters are freed at the end.
/// </summary>
public static class HandTwinStep
{
    /// <summary>Relative bound on every tensor in float64 (issue 7: ≤ 1e-10; measured worst 1.1e-12 on the CPU).</summary>
    public const double Bound = 1e-10;

    /// <summary>The row of the input cotangent dx, after the parameters' rows.</summary>
    public const string InputName = "input dx";

    /// <param name="alter">applied to each hand-derived gradient before comparing (a negative case's wrong gradient)</param>
    /// <param name="batch">rows in the batch; labels 3, 8, 13, … modulo the class count (3, 8 at the default 2)</param>
    /// <param name="device">where both sides run (default CPU); the data and perturbation are drawn on the CPU, so every device sees the
    /// same values</param>
    public static StepComparison Run(
        NetSpec spec, double smoothing, Func<int, Tensor, Tensor>? alter = null, int batch = 2, Device? device = null)
    {
        device ??= CPU;
        var clock = Stopwatch.StartNew();
        var network = NetworkBuilder.Build(spec, ScalarType.Float64, device);
        try
        {
            Perturb(network);
            var build = clock.Elapsed.TotalSeconds;
            using var scope = NewDisposeScope();
            var x = rand([batch, network.Input.Elements], ScalarType.Float64, generator: new Generator(7)).to(device);
            var labels = tensor(Enumerable.Range(0, batch).Select(i => (long)((i * 5 + 3) % network.NumClasses)).ToArray()).to(device);

            clock.Restart();
            double handLoss;
            Tensor handDx;
            using (var handScope = NewDisposeScope())
            {
                network.ZeroGrad();
                var (logits, pullback) = network.ForwardWithInputCotangent(x);
                var (loss, lossPullback) = new SoftmaxCrossEntropy(labels, smoothing).Forward(new Vec(logits));
                handDx = pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64, device))).T).MoveToOuterDisposeScope();
                handLoss = loss.T.item<double>();
            }
            var hand = clock.Elapsed.TotalSeconds;

            clock.Restart();
            using (NewDisposeScope())
            {
                var (twinLoss, twinGrads, twinDx) = TwinStep.RunWithInputCotangent(
                    spec, network.VjpParameters.Select(p => p.Value).ToList(), x, labels, smoothing);
                var rows = network.VjpParameters.Select((p, i) =>
                    GradientComparison.Compare(network.Tensors[i].Name, alter is null ? p.Grad : alter(i, p.Grad), twinGrads[i])).ToList();
                rows.Add(GradientComparison.Compare(InputName, handDx, twinDx));
                return new(handLoss, twinLoss.item<double>(), rows,
                    $"build {build:F1} s, hand step {hand:F1} s, twin step {clock.Elapsed.TotalSeconds:F1} s, " +
                    $"process peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
            }
        }
        finally
        {
            Free(network);
        }
    }

    /// <summary>Frees the parameters and gradients now (they live outside dispose scopes): a big net's are hundreds of MB.</summary>
    public static void Free(Network network)
    {
        foreach (var p in network.VjpParameters)
        {
            p.Value.Dispose();
            p.Grad.Dispose();
        }
    }

    /// <summary>
    /// Replaces the constant initial values (biases, β, CLS token: 0; γ: 1) by random ones near them. At β = 0 a
    /// ReLU after BN is positively homogeneous in γ and the next BN undoes the scale, so γ's gradient is zero up to
    /// BN's ε and clipping: a near-cancellation, where relative error measures rounding, not the rule.
    /// </summary>
    public static void Perturb(Network network)
    {
        var init = new Init(ScalarType.Float64, CPU, 11);
        using var noGrad = no_grad();
        foreach (var (t, p) in network.Tensors.Zip(network.VjpParameters))
        {
            if (t.ConsumesSeed) continue;
            using var scope = NewDisposeScope();
            var noise = init.Normal(t.Shape).Mul(0.1); // on the CPU: copy_ moves it to the parameter's device
            p.Value.copy_(t.Role is ParamRole.BnGamma or ParamRole.LnGamma ? noise.Add(1) : noise);
        }
    }
}
