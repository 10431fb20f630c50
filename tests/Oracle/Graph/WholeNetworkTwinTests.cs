using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using Xunit.Abstractions;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// One training step of a whole catalog net, float64, batch 2, the spec's own resolution: the trainer's graph (Vjp
/// rules only) against the independent autograd twin on the same parameters (He kernels; biases, β, γ and CLS moved
/// off their constants, see <see cref="HandTwinStep.Perturb"/>), every gradient tensor compared (≤ 1e-10 relative)
/// and the input cotangent dx (≤ 1e-10 relative), and the losses (≤ 1e-12 relative). The ImageNet-sized nets take seconds to minutes
/// each on a 2-core CPU; they
/// carry the trait Category=WholeNetwork, so <c>--filter Category!=WholeNetwork</c> leaves them out of a quick run.
/// </summary>
public class WholeNetworkTwinTests(ITestOutputHelper output)
{
    const double Bound = HandTwinStep.Bound;
    const string Category = "WholeNetwork";

    void Check(string net, double smoothing) => Check(NetCatalog.Find(net)!.Spec, smoothing, net);

    void Check(NetSpec spec, double smoothing, string net)
    {
        var step = HandTwinStep.Run(spec, smoothing);
        foreach (var row in step.Scaled) output.WriteLine(row.ToString());
        output.WriteLine($"{net}: loss hand {step.HandLoss:R}, twin {step.TwinLoss:R}; {step.Timing}");
        Assert.Equal(ParamTensors.Of(spec).Count + 1, step.Rows.Count);
        Assert.Equal(HandTwinStep.InputName, step.Rows[^1].Name);
        Assert.Empty(step.Problems(net));
        var worst = step.Worst;
        output.WriteLine($"{net}: worst relative {worst:E2} over {step.Rows.Count} tensors (input dx {step.Rows[^1].MaxRel:E2}); " +
            $"measured at the step's scale (gradient zero in exact arithmetic): {step.VanishingRows.Count}");
    }

    [Theory, Evidence(ItemId.mlp_has_vjp, EvidenceKind.Oracle)]
    [InlineData("mnist-mlp", 0.0)]
    [InlineData("mnist-cnn", 0.0)]
    [InlineData("mnist-cnn-bn", 0.1)]
    [InlineData("cifar-cnn", 0.0)]
    [InlineData("cifar-bn", 0.1)]
    public void WholeNet_EveryGradientTensorEqualsTheAutogradTwin(string net, double smoothing) => Check(net, smoothing);

    /// <summary>The worked example of docs/adding-a-layer.md: average pooling between convolutions, MNIST-sized.</summary>
    [Fact]
    public void AvgPoolNet_EveryGradientTensorEqualsTheAutogradTwin() =>
        Check(new NetSpec("avgpool-net", [
            Layer.Conv2d(1, 4, 3, Padding.Same, Activation.Relu), Layer.AvgPool2(), Layer.ConvBn(4, 8, 3, 1, Padding.Same),
            Layer.AvgPool2(), Layer.Flatten(), Layer.Dense(8 * 7 * 7, 10, Activation.Identity),
        ]), 0.1, "avgpool-net");

    [Theory, Trait("Category", Category)]
    [Evidence(ItemId.residual_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.bn_has_vjp, EvidenceKind.Oracle)]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    public void ResNet_EveryGradientTensorEqualsTheAutogradTwin(string net) => Check(net, 0.1);

    [Fact, Trait("Category", Category), Evidence(ItemId.bn_has_vjp, EvidenceKind.Oracle)]
    public void Vgg16Bn_EveryGradientTensorEqualsTheAutogradTwin() => Check("vgg", 0.1);

    [Theory, Trait("Category", Category)]
    [Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Oracle), Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.Oracle)]
    [InlineData("mobilenet-v2")]
    [InlineData("mobilenet-v3")]
    [InlineData("mobilenet-v4")]
    public void MobileNet_EveryGradientTensorEqualsTheAutogradTwin(string net) => Check(net, 0.1);

    [Theory, Trait("Category", Category)]
    [Evidence(ItemId.seBlock_has_vjp, EvidenceKind.Oracle), Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.Oracle)]
    [InlineData("efficientnet")]
    [InlineData("efficientnet-v2")]
    public void EfficientNet_EveryGradientTensorEqualsTheAutogradTwin(string net) => Check(net, 0.1);

    [Fact, Trait("Category", Category)]
    [Evidence(ItemId.transformerBlock_has_vjp_mat, EvidenceKind.Oracle), Evidence(ItemId.transformerTower_has_vjp_mat, EvidenceKind.Oracle)]
    [Evidence(ItemId.vit_body_has_vjp_mat, EvidenceKind.Oracle), Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.Oracle)]
    public void VitTiny_EveryGradientTensorEqualsTheAutogradTwin() => Check("vit-tiny", 0.1);

    [Fact]
    public void AGradientOffByAPositiveFactor_IsReportedNamingTheTensor()
    {
        var rows = HandTwinStep.Run(NetCatalog.Find("mnist-cnn-bn")!.Spec, 0.1, alter: (i, g) => i == 3 ? g.Mul(1.001) : g).Rows;
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(rows, Bound, "mnist-cnn-bn"));
        Assert.Contains(rows[3].Name, e.Message);
    }

    /// <summary>In a big net the stem's kernel (the tensor farthest from the loss) off by 1 + 1e-8 is caught, alone.</summary>
    [Fact, Trait("Category", Category)]
    public void InABigNet_TheStemKernelOffByOnePartIn1e8_IsCaught()
    {
        var step = HandTwinStep.Run(NetCatalog.Find("mobilenet-v3")!.Spec, 0.1, alter: (i, g) => i == 0 ? g.Mul(1 + 1e-8) : g);
        var e = Assert.Throws<GradientMismatchException>(() => step.RequireWithin(Bound, "mobilenet-v3"));
        output.WriteLine(e.Message);
        Assert.Contains("1 of ", e.Message);
        Assert.Contains("L0.W[", e.Message);
    }
}
