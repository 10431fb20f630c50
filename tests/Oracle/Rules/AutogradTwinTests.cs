using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;
using Layers = LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>The spec-level twin: layout equal to ParamTensors.Of(spec), and its step gradient against the hand rules.</summary>
[Collection(OracleCollection.Name)]
public class AutogradTwinTests
{
    static List<Tensor> Parameters(NetSpec spec, ScalarType dtype, int seed)
    {
        var init = new Init(dtype, CPU, seed);
        return [.. ParamTensors.Of(spec).Select(t => t.Role switch
        {
            ParamRole.BnGamma => init.Ones(t.Shape).Add(init.Normal(t.Shape).Mul(0.1)),
            _ => init.Normal(t.Shape, 0.3),
        })];
    }

    static readonly NetSpec EveryCnnBlock = new("twin-blocks", [
        new ConvBn(1, 4, 3, 1, Padding.Same),
        new ResidualBlock(4, 8, 2, 2),
        new BottleneckBlock(8, 8, 1, 1),
        new InvertedResidual(8, 8, 2, 1, 1),
        new Layers.MbConv(8, 8, 2, 3, 1, 1, true),
        new Layers.MbConvV3(8, 8, 16, 3, 1, true, true),
        new Layers.FusedMbConv(8, 8, 2, 3, 1, 1, true),
        new Layers.Uib(8, 8, 2, 1, 3, 5),
        new Layers.MaxPool(2, 2),
        new Layers.GlobalAvgPool(),
        new Layers.Dense(8, 10, Activation.Identity),
    ], 12, 12);

    [Fact]
    public void TwinStep_GradientsHaveTheParamTensorsLayout()
    {
        foreach (var spec in new[] { PartOneSpecs.MnistMlp, PartOneSpecs.MnistCnnBn, EveryCnnBlock })
        {
            var parameters = Parameters(spec, ScalarType.Float32, 1);
            var x = randn(3, spec.Layers[0] is Layers.Dense d ? d.FanIn : spec.ImageH * spec.ImageW);
            var (loss, grads) = TwinStep.Run(spec, parameters, x, tensor(new long[] { 1, 7, 3 }));
            Assert.True(loss.isfinite().item<bool>(), spec.Name);
            Assert.Equal(ParamTensors.Of(spec).Select(t => t.Shape), grads.Select(g => g.shape));
            Assert.All(grads, g => Assert.True(g.isfinite().all().item<bool>(), spec.Name));
        }
    }

    [Fact]
    public void AutogradTwin_WrongLayoutNamesTheParameter()
    {
        var spec = PartOneSpecs.MnistMlp;
        var parameters = Parameters(spec, ScalarType.Float32, 2);
        (parameters[0], parameters[1]) = (parameters[1], parameters[0]);
        var error = Assert.Throws<ArgumentException>(() => AutogradTwin.Forward(spec, parameters, randn(2, 784)));
        Assert.Contains("parameter #0 (L0.W)", error.Message);
    }

    [Fact]
    public void TwinStep_MlpGradientsMatchTheHandRules()
    {
        var spec = new NetSpec("mlp", [new Layers.Dense(12, 8, Activation.Relu), new Layers.Dense(8, 3, Activation.Identity)]);
        var parameters = Parameters(spec, ScalarType.Float64, 3);
        var x = randn(5, 12, ScalarType.Float64);
        var labels = tensor(new long[] { 0, 2, 1, 1, 0 });
        var (twinLoss, twinGrads) = TwinStep.Run(spec, parameters, x, labels, smoothing: 0.1);

        var hand = new Vjp.Rules.Dense(parameters[0], parameters[1]).Then(Activations.Relu<Vec>())
            .Then(new Vjp.Rules.Dense(parameters[2], parameters[3])).Then(new SoftmaxCrossEntropy(labels, 0.1));
        var (loss, pullback) = hand.Forward(new Vec(x));
        pullback(new Vec(ones(1, 1, ScalarType.Float64)));
        var comparisons = hand.Parameters.Select((p, i) => GradientComparison.Compare(p.Name, p.Grad, twinGrads[i])).ToList();
        GradientComparison.RequireWithin(comparisons, OracleHarness.Float64Bound, "MLP step");
        Assert.Equal(twinLoss.item<double>(), loss.T.item<double>(), 1e-14);
    }
}
