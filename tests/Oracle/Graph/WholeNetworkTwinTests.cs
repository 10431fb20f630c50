using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Oracle;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// One training step of a whole catalog net, float64, batch 2, full resolution: the trainer's graph (Vjp rules only)
/// against the independent autograd twin on the same He-initialised parameters, every gradient tensor compared.
/// </summary>
public class WholeNetworkTwinTests(ITestOutputHelper output)
{
    const double Bound = 1e-10;

    static (double HandLoss, double TwinLoss, List<TensorComparison> Rows) Step(string net, double smoothing, Func<int, Tensor, Tensor>? alter = null)
    {
        var spec = Catalog.Find(net)!.Spec;
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

    [Theory, Evidence(ItemId.mlp_has_vjp, EvidenceKind.Oracle)]
    [InlineData("mnist-mlp", 0.0)]
    [InlineData("mnist-cnn", 0.0)]
    [InlineData("mnist-cnn-bn", 0.1)]
    [InlineData("cifar-cnn", 0.0)]
    [InlineData("cifar-bn", 0.1)]
    public void WholeNet_EveryGradientTensorEqualsTheAutogradTwin(string net, double smoothing)
    {
        using var scope = NewDisposeScope();
        var (handLoss, twinLoss, rows) = Step(net, smoothing);
        foreach (var row in rows) output.WriteLine(row.ToString());
        output.WriteLine($"{net}: loss hand {handLoss:R}, twin {twinLoss:R}");
        Assert.True(Math.Abs(handLoss - twinLoss) <= 1e-12 * Math.Max(1, Math.Abs(twinLoss)), $"{net}: loss {handLoss:R} vs {twinLoss:R}");
        GradientComparison.RequireWithin(rows, Bound, net);
        Assert.Equal(ParamTensors.Of(Catalog.Find(net)!.Spec).Count, rows.Count);
    }

    [Fact]
    public void AGradientOffByAPositiveFactor_IsReportedNamingTheTensor()
    {
        using var scope = NewDisposeScope();
        var (_, _, rows) = Step("mnist-cnn-bn", 0.1, (i, g) => i == 3 ? g * 1.001 : g);
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(rows, Bound, "mnist-cnn-bn"));
        Assert.Contains(rows[3].Name, e.Message);
    }
}
