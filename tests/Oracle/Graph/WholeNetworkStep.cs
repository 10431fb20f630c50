using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Oracle;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// One float64 training step of a whole spec at batch 2: the trainer's graph (Vjp rules only) and the independent
/// autograd twin on the same He-initialised parameters, with a comparison row per gradient tensor (in
/// <see cref="ParamTensors"/> order). <paramref name="alter"/> lets a negative case perturb hand gradient i.
/// </summary>
static class WholeNetworkStep
{
    public static (double HandLoss, double TwinLoss, List<TensorComparison> Rows) Run(NetSpec spec, double smoothing,
        Func<int, Tensor, Tensor>? alter = null)
    {
        var network = NetworkBuilder.Build(spec, ScalarType.Float64);
        var input = network.Input.Elements;
        var x = rand([2, input], ScalarType.Float64, generator: new Generator(7));
        var labels = tensor(new long[] { 3, 8 });
        network.ZeroGrad();
        var (logits, pullback) = network.Forward(x);
        var (loss, lossPullback) = new SoftmaxCrossEntropy(labels, smoothing).Forward(new Vec(logits));
        pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64))).T);

        var parameters = network.VjpParameters.Select(p => p.Value).ToList();
        var (twinLoss, twinGrads) = TwinStep.Run(spec, parameters, x, labels, smoothing);
        var rows = network.VjpParameters.Select((p, i) =>
            GradientComparison.Compare(network.Tensors[i].Name, alter is null ? p.Grad : alter(i, p.Grad), twinGrads[i])).ToList();
        return (loss.T.item<double>(), twinLoss.item<double>(), rows);
    }
}
