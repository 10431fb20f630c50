using LeanMlirVerify.Oracle.Trainer;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

public class NetworkBuilderTests
{
    /// <summary>Small enough to build in a test (the Imagenette nets take seconds each to initialise twice).</summary>
    public static TheoryData<string> SmallCatalogNets() =>
        [.. NetCatalog.Nets.Where(e => e.Spec.TotalParams() < 4_000_000).Select(e => e.Name)];

    /// <summary>One small spec per block constructor, on 8×8 RGB input.</summary>
    public static TheoryData<string> BlockSpecs() => [.. BlockNets.Keys];

    static readonly Dictionary<string, NetSpec> BlockNets = new()
    {
        ["residualBlock"] = Small(
            Layer.ConvBn(3, 8, 3, 1, Padding.Same), Layer.ResidualBlock(8, 16, 2, 2), Layer.GlobalAvgPool(),
            Layer.Dense(16, 10, Activation.Identity)),
        ["bottleneckBlock"] = Small(
            Layer.ConvBn(3, 16, 3, 1, Padding.Same), Layer.BottleneckBlock(16, 32, 2, 2), Layer.GlobalAvgPool(),
            Layer.Dense(32, 10, Activation.Identity)),
        ["invertedResidual"] = Small(
            Layer.InvertedResidual(3, 8, 6, 2, 2), Layer.InvertedResidual(8, 8, 1, 1, 1), Layer.GlobalAvgPool(),
            Layer.Dense(8, 10, Activation.Identity)),
        ["mbConv"] = Small(
            Layer.MbConv(3, 8, 4, 3, 1, 2, true), Layer.MbConv(8, 12, 1, 5, 2, 1, false), Layer.GlobalAvgPool(),
            Layer.Dense(12, 10, Activation.Identity)),
        ["mbConvV3"] = Small(
            Layer.ConvBn(3, 8, 3, 2, Padding.Same), Layer.MbConvV3(8, 8, 16, 3, 1, true, true),
            Layer.MbConvV3(8, 12, 8, 5, 2, false, false), Layer.GlobalAvgPool(), Layer.Dense(12, 10, Activation.Identity)),
        ["fusedMbConv"] = Small(
            Layer.ConvBn(3, 8, 3, 1, Padding.Same), Layer.FusedMbConv(8, 8, 1, 3, 1, 2, false), Layer.FusedMbConv(8, 16, 4, 3, 2, 1, true),
            Layer.GlobalAvgPool(), Layer.Dense(16, 10, Activation.Identity)),
        ["uib"] = Small(
            Layer.ConvBn(3, 8, 3, 1, Padding.Same), Layer.Uib(8, 8, 2, 1, 3, 3), Layer.Uib(8, 16, 2, 2, 0, 5),
            Layer.Uib(16, 16, 2, 1, 3, 0), Layer.GlobalAvgPool(), Layer.Dense(16, 10, Activation.Identity)),
        ["patchEmbed+transformerEncoder"] = Small(
            Layer.PatchEmbed(3, 8, 4, 4), Layer.TransformerEncoder(8, 2, 16, 2), Layer.Dense(8, 10, Activation.Identity)),
        ["conv2d+avgPool2+flatten"] = Small(Layer.Conv2d(3, 4, 3, Padding.Same, Activation.Relu), Layer.AvgPool2(), Layer.Flatten(),
            Layer.Dense(64, 10, Activation.Identity)),
        ["conv2d+maxPool+flatten"] = Small(
            Layer.Conv2d(3, 4, 3, Padding.Same, Activation.Relu), Layer.MaxPool(2, 2), Layer.Flatten(),
            Layer.Dense(64, 10, Activation.Identity)),
    };

    static NetSpec Small(params Layer[] layers) => new("block-test", layers, 8, 8);

    /// <summary>Names and shapes of the graph's tensors, in order, as the optimizer and checkpoints see them.</summary>
    static List<string> Layout(Network n) => n.OptimizerParameters().Select(p => $"{p.Name}{Shapes.Format(p.Value)}").ToList();

    static List<string> Expected(NetSpec spec) => ParamTensors.Of(spec).Select(t => $"{t.Name}[{string.Join(",", t.Shape)}]").ToList();

    [Theory]
    [MemberData(nameof(SmallCatalogNets))]
    public void CatalogNet_GraphParametersFollowParamTensorsOrderAndShapes(string name)
    {
        var spec = NetCatalog.Find(name)!.Spec;
        var network = NetworkBuilder.Build(spec);
        Assert.Equal(Expected(spec), Layout(network));
        Assert.Equal(ParamTensors.BnLayers(spec).Count, network.BatchNorms.Count);
        Assert.Equal(spec.TotalParams(), network.VjpParameters.Sum(p => p.Value.numel()));
    }

    [Theory]
    [MemberData(nameof(BlockSpecs))]
    public void BlockConstructor_GraphMatchesParamTensorsAndTrainsOneStep(string block)
    {
        var spec = BlockNets[block];
        var network = NetworkBuilder.Build(spec);
        Assert.Equal(Expected(spec), Layout(network));
        Assert.Equal(ParamTensors.BnLayers(spec).Count, network.BatchNorms.Count);
        using var scope = NewDisposeScope();
        var x = rand([2, 3 * 8 * 8], generator: new Generator(11));
        var (logits, pullback) = network.Forward(x);
        Assert.Equal([2L, 10L], logits.shape);
        pullback(ones(2, 10));
        Assert.All(network.Grads, g => Assert.True(g.isfinite().all().item<bool>()));
        Assert.Contains(network.Grads, g => g.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void BlockSpecs_CoverEveryTrainableConstructor()
    {
        var covered = BlockNets.Values.SelectMany(spec => spec.Layers).Select(l => l.GetType()).ToHashSet();
        // CustomLayer wraps a plugin's rule: the builder's handling of it is covered by CustomLayerTests (Specs).
        var trainable = typeof(Layer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(TrainableLayer)) && !t.IsAbstract && t != typeof(CustomLayer));
        Assert.Empty(trainable.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    /// <summary>The rules draw the He tensors themselves (Init.He); they must come out exactly as the spec-level list.</summary>
    [Theory]
    [MemberData(nameof(BlockSpecs))]
    public void BlockConstructor_GraphStartsAtExactlyTheSpecsHeInitValues(string block)
    {
        var spec = BlockNets[block];
        var network = NetworkBuilder.Build(spec);
        var expected = InitialValues.Tensors(spec);
        Assert.Equal(expected.Count, network.VjpParameters.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i].Values.SequenceEqual(network.VjpParameters[i].Value.data<float>().ToArray()), expected[i].Tensor.Name);
    }

    [Fact]
    public void Layout_ComparisonDetectsAnotherSpecsTensors()
    {
        var network = NetworkBuilder.Build(NetCatalog.Find("mnist-mlp")!.Spec);
        Assert.NotEqual(Expected(NetCatalog.Find("mnist-shallow")!.Spec), Layout(network));
    }

    [Fact]
    public void MnistMlp_StartsAtTheBooksHeInitialisation()
    {
        var network = NetworkBuilder.Build(NetCatalog.Find("mnist-mlp")!.Spec);
        var w1 = network.VjpParameters[0].Value.view(-1).narrow(0, 0, 4).data<float>().ToArray();
        Assert.Equal([-0.07572342f, 0.06341256f, -0.00843616f, -0.12413232f], w1, (a, b) => Math.Abs(a - b) < 1e-8f);
        var w3 = network.VjpParameters[4].Value.view(-1).narrow(0, 0, 3).data<float>().ToArray();
        Assert.Equal([-0.04963955f, -0.0908595f, 0.00043317f], w3, (a, b) => Math.Abs(a - b) < 1e-8f);
        Assert.Equal(0f, network.VjpParameters[1].Value.abs().sum().item<float>());
    }

    [Fact]
    public void MismatchedChannels_FailBeforeTrainingNamingTheLayer()
    {
        var spec = new NetSpec(
            "bad", [Layer.Conv2d(1, 8, 3, Padding.Same, Activation.Relu), Layer.Conv2d(4, 8, 3, Padding.Same, Activation.Relu),
            Layer.Flatten(), Layer.Dense(6272, 10, Activation.Identity)]);
        var e = Assert.Throws<SpecException>(() => NetworkBuilder.Build(spec));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("layer 1", e.Message);
        Assert.Contains("conv2d", e.Message);
        Assert.Contains("8", e.Problem);
    }

    [Fact]
    public void AccountingOnlyConstructor_IsRefusedNamingLayerAndConstructor()
    {
        var spec = Small(
            Layer.ConvBn(3, 8, 3, 1, Padding.Same), Layer.SeparableConv(8, 16, 1), Layer.GlobalAvgPool(),
            Layer.Dense(16, 10, Activation.Identity));
        var e = Assert.Throws<SpecException>(() => NetworkBuilder.Build(spec));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("separableConv", e.Message);
    }

    /// <summary>
    /// Loss of one batch by hand (double loops over the He values) against the graph in float64:
    /// h = relu(x·W1 + b1), z = h·W2 + b2, L = mean over the batch of logsumexp(z) − z_label; and ∂L/∂b2 = mean(softmax −
    /// onehot).
    /// </summary>
    [Fact]
    public void MlpStep_LossAndBiasGradientEqualAHandComputation()
    {
        var spec = TinyData.Mlp;
        var network = NetworkBuilder.Build(spec, ScalarType.Float64);
        var rng = new Random(7);
        const int batch = 4;
        var x = Enumerable.Range(0, batch * 784).Select(_ => rng.NextDouble()).ToArray();
        long[] labels = [3, 0, 9, 3];
        var he = InitialValues.Tensors(spec).Select(t => t.Values.Select(v => (double)v).ToArray()).ToArray();

        var (loss, db2) = HandLoss(he, x, labels, batch);

        using var scope = NewDisposeScope();
        network.ZeroGrad();
        var (logits, pullback) = network.Forward(tensor(x, [batch, 784L]));
        var (l, lossPullback) = new SoftmaxCrossEntropy(tensor(labels)).Forward(new Vec(logits));
        pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float64))).T);
        Assert.Equal(loss, l.T.item<double>(), 1e-12);
        var graphDb2 = network.VjpParameters[3].Grad.data<double>().ToArray();
        for (int k = 0; k < 10; k++) Assert.Equal(db2[k], graphDb2[k], 1e-12);

        // Negative case: the same hand computation with one weight changed no longer agrees.
        he[2][5] += 0.5;
        Assert.True(Math.Abs(HandLoss(he, x, labels, batch).Loss - loss) > 1e-6);
    }

    static (double Loss, double[] Db2) HandLoss(double[][] p, double[] x, long[] labels, int batch)
    {
        double[] w1 = p[0], b1 = p[1], w2 = p[2], b2 = p[3];
        double loss = 0;
        var db2 = new double[10];
        for (int b = 0; b < batch; b++)
        {
            var h = new double[16];
            for (int j = 0; j < 16; j++)
            {
                double s = b1[j];
                for (int i = 0; i < 784; i++) s += x[b * 784 + i] * w1[i * 16 + j];
                h[j] = Math.Max(0, s);
            }
            var z = new double[10];
            for (int k = 0; k < 10; k++)
            {
                z[k] = b2[k];
                for (int j = 0; j < 16; j++) z[k] += h[j] * w2[j * 10 + k];
            }
            double max = z.Max(), sumExp = z.Sum(v => Math.Exp(v - max));
            loss += max + Math.Log(sumExp) - z[labels[b]];
            for (int k = 0; k < 10; k++) db2[k] += (Math.Exp(z[k] - max) / sumExp - (k == labels[b] ? 1 : 0)) / batch;
        }
        return (loss / batch, db2);
    }
}
