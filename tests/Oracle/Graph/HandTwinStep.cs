using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Oracle;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>Losses of both sides and one comparison per parameter tensor, in ParamTensors order.</summary>
/// <remarks>
/// A gradient that is zero in exact arithmetic has no relative error: both sides hold rounding noise, and the ratio of
/// two noises is anything. The one such tensor here is attention's key bias (softmax ignores a shift shared by a row of
/// scores, and q·b_k is the same for every key). A tensor whose twin gradient is below <see cref="Vanishing"/> times
/// the step's largest gradient entry is therefore measured against that largest entry instead of its own.
/// </remarks>
sealed record StepComparison(double HandLoss, double TwinLoss, IReadOnlyList<TensorComparison> Rows)
{
    public const double Vanishing = 1e-12;

    public double LossDifference => Math.Abs(HandLoss - TwinLoss);

    /// <summary>The largest entry of any twin gradient tensor.</summary>
    public double StepScale => Rows.Max(r => r.Finite ? r.ScaleOfReference : 0);

    /// <summary>Tensors whose twin gradient vanishes at the step's scale (see remarks).</summary>
    public IReadOnlyList<TensorComparison> VanishingRows => Rows.Where(IsVanishing).ToList();

    /// <summary>Each row, the vanishing ones with their error measured against <see cref="StepScale"/>.</summary>
    public IReadOnlyList<TensorComparison> Scaled =>
        Rows.Select(r => IsVanishing(r) ? r with { MaxRel = r.MaxAbs / StepScale } : r).ToList();

    /// <summary>Throws naming every tensor over the bound (or not finite); returns the worst relative error.</summary>
    public double RequireWithin(double bound, string what) => GradientComparison.RequireWithin(Scaled, bound, what);

    bool IsVanishing(TensorComparison r) => r.Finite && r.ScaleOfReference <= Vanishing * StepScale;
}

/// <summary>
/// One float64 training step of a spec through the trainer's graph (Vjp rules only) and through the autograd twin on
/// the same parameters and batch (batch 2, the spec's own input size). Callers open the dispose scope.
/// </summary>
static class HandTwinStep
{
    /// <param name="perturb">replace the He initial values by random ones (γ near 1, the rest N(0, 0.3²)), so zero-initialised
    /// biases, CLS token and β do not sit at a special point</param>
    /// <param name="alter">applied to each hand-derived gradient before comparing (a negative case's wrong gradient)</param>
    public static StepComparison Run(NetSpec spec, double smoothing, bool perturb = false, Func<int, Tensor, Tensor>? alter = null)
    {
        var network = NetworkBuilder.Build(spec, ScalarType.Float64);
        if (perturb) Perturb(network);
        var x = rand([2, network.Input.Elements], ScalarType.Float64, generator: new Generator(7));
        var labels = tensor(new long[] { 3, 8 }) % network.NumClasses;
        network.ZeroGrad();
        var (logits, pullback) = network.Forward(x);
        var (loss, lossPullback) = new SoftmaxCrossEntropy(labels, smoothing).Forward(new Vec(logits));
        pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64))).T);

        var parameters = network.VjpParameters.Select(p => p.Value).ToList();
        var (twinLoss, twinGrads) = TwinStep.Run(spec, parameters, x, labels, smoothing);
        var rows = network.VjpParameters.Select((p, i) =>
            GradientComparison.Compare(network.Tensors[i].Name, alter is null ? p.Grad : alter(i, p.Grad), twinGrads[i])).ToList();
        return new(loss.T.item<double>(), twinLoss.item<double>(), rows);
    }

    static void Perturb(Network network)
    {
        var init = new Init(ScalarType.Float64, CPU, 11);
        using var noGrad = no_grad();
        foreach (var (t, p) in network.Tensors.Zip(network.VjpParameters))
        {
            using var scope = NewDisposeScope();
            p.Value.copy_(t.Role is ParamRole.BnGamma or ParamRole.LnGamma
                ? 1 + 0.1 * init.Normal(t.Shape)
                : init.Normal(t.Shape, 0.3));
        }
    }
}
