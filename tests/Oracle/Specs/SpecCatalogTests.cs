using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>Every Part-1, trainer and ablation total of netspec facts §4, §4.8, §5.2.</summary>
public class SpecCatalogTests
{
    public static TheoryData<string, long, int, long, int> CatalogTotals => new()
    {
        { "mnist-mlp", 669_706, 0, 0, 6 },
        { "mnist-cnn", 3_489_130, 0, 0, 10 },
        { "mnist-cnn-bn", 1_676_458, 4, 384, 16 },
        { "cifar-cnn", 2_431_018, 0, 0, 14 },
        { "cifar-bn", 2_431_210, 4, 384, 18 },
        { "resnet34", 21_289_802, 36, 17_024, 110 },
        { "resnet50", 23_528_522, 53, 53_120, -1 },
        { "mobilenet-v2", 2_236_682, 52, 34_112, 158 },
        { "mobilenet-v3", 2_990_480, 46, 24_400, -1 },
        { "mobilenet-v4", 4_124_426, 52, 42_592, -1 },
        { "efficientnet", 7_155_658, 49, 42_016, 213 },
        { "efficientnet-v2", 38_177_682, 110, 153_872, -1 },
        { "vgg", 14_724_042, 13, 8_448, -1 },
        { "vit-tiny", 5_526_346, 0, 0, 200 },
        { "mnist-linear", 7_850, 0, 0, 2 },
        { "mnist-shallow", 101_770, 0, 0, 4 },
        { "mnist-h32", 25_450, 0, 0, 4 },
        { "mnist-h64", 50_890, 0, 0, 4 },
        { "mnist-h128", 101_770, 0, 0, 4 },
        { "mnist-h256", 203_530, 0, 0, 4 },
        { "mnist-h512", 407_050, 0, 0, 4 },
        { "mnist-cnn-f8", 202_786, 0, 0, 8 },
        { "mnist-cnn-f16", 405_306, 0, 0, 8 },
        { "mnist-cnn-f32", 813_802, 0, 0, 8 },
        { "mnist-cnn-f64", 1_644_618, 0, 0, 8 },
        { "cifar-bn-f8", 534_274, 4, 96, 16 },
        { "cifar-bn-f16", 1_070_970, 4, 192, 16 },
        { "cifar-bn-f32", 2_168_554, 4, 384, 16 },
        { "cifar-bn-f64", 4_460_490, 4, 768, 16 },
        { "mnist-cnn-lite", 150_154, 0, 0, 6 },
        { "mnist-cnn-lite-bn", 150_410, 2, 512, 8 },
        { "cifar-lite-nobn", 261_450, 0, 0, 10 },
        { "cifar-lite-bn", 261_834, 4, 768, 14 },
    };

    [Theory]
    [MemberData(nameof(CatalogTotals))]
    public void CatalogNet_HasTheBooksParameterCountAndBnLayers(string name, long total, int bnLayers, long bnFloats, int tensors)
    {
        var spec = NetCatalog.Find(name)!.Spec;
        Assert.Equal(total, spec.TotalParams());
        Assert.Equal(bnLayers, ParamTensors.BnLayers(spec).Count);
        Assert.Equal(bnFloats, ParamTensors.BnStatFloats(spec));
        if (tensors >= 0) Assert.Equal(tensors, ParamTensors.Of(spec).Count);
        Assert.Equal(total, ParamTensors.Of(spec).Sum(t => t.Size));
    }

    [Fact]
    public void CatalogTotals_CoverEveryCatalogName()
    {
        Assert.Equal(NetCatalog.Names.Order(), CatalogTotals.Select(r => (string)r[0]).Order());
    }

    [Fact]
    public void ResNet34_HasTheBooksParameterCountAndBnLayers()
    {
        var r34 = PartOneSpecs.ResNet34;
        Assert.Equal(21_289_802, r34.TotalParams());
        Assert.Equal(36, ParamTensors.BnLayers(r34).Count);
        Assert.Equal(17_024, ParamTensors.BnStatFloats(r34));
        Assert.Equal([9_536L, 0, 221_952, 1_116_416, 6_822_400, 13_114_368, 0, 5_130], r34.Layers.Select(l => l.NParams()));
    }

    [Fact]
    public void MnistCnn_BackboneIsATinyShareOfTheCount()
    {
        var cnn = NetCatalog.Find("mnist-cnn")!.Spec;
        Assert.Equal(9_568, cnn.Layers.Take(2).Sum(l => l.NParams()));
        Assert.Equal(3_211_776, cnn.Layers[4].NParams());
    }

    [Fact]
    public void EfficientNetB0_WithoutSe_HasTheOlderLogsCount()
    {
        var noSe = PartOneSpecs.EfficientNetB0 with
        {
            Layers = PartOneSpecs.EfficientNetB0.Layers.Select(l => l is MbConv m ? m with { UseSE = false } : l).ToList(),
        };
        Assert.Equal(3_383_818, noSe.TotalParams());
    }

    [Fact]
    public void AblationWidthFamilies_FollowTheirClosedForms()
    {
        foreach (long w in new long[] { 1, 7, 32, 100, 512 }) Assert.Equal(795 * w + 10, AblationSpecs.MnistHidden(w).TotalParams());
        foreach (long f in new long[] { 1, 5, 8, 64 })
        {
            Assert.Equal(9 * f * f + 25_099 * f + 1_418, AblationSpecs.MnistCnnWidth(f).TotalParams());
            Assert.Equal(63 * f * f + 65_575 * f + 5_642, AblationSpecs.CifarCnnWidth(f).TotalParams());
            Assert.Equal(12 * f, ParamTensors.BnStatFloats(AblationSpecs.CifarCnnWidth(f)));
        }
    }

    [Fact]
    public void AblationRegistry_HasEveryRunWithItsSpecConfigAndDataset()
    {
        Assert.Equal(49, Ablation.All.Count);
        Assert.Equal(Ablation.All.Count, Ablation.All.Select(a => a.Name).Distinct().Count());
        var mlpSgd = Ablation.Find("mlp-sgd")!;
        Assert.Equal("MNIST-MLP-mlp-sgd", mlpSgd.RunSpec.Name);
        Assert.Equal("mnist_mlp_mlp_sgd", mlpSgd.RunSpec.SanitizedName);
        Assert.Equal(
            (0.1, 128, 12, false, 0.9),
            (mlpSgd.Config.LearningRate, mlpSgd.Config.BatchSize, mlpSgd.Config.Epochs, mlpSgd.Config.UseAdam, mlpSgd.Config.Momentum));
        Assert.Equal(2_431_210, Ablation.Find("cifar-bn-full")!.Spec.TotalParams());
        Assert.Equal(DatasetKind.Imagenette, Ablation.Find("r34-bare")!.Dataset);
        Assert.Equal("data/imagenette", Ablation.Find("r34-no-aug")!.DefaultDataDir);
        var noCosine = Ablation.Find("r34-no-cosine")!.Config;
        Assert.False(noCosine.CosineDecay);
        Assert.Equal(3, noCosine.WarmupEpochs);
        Assert.Equal(0.01, Ablation.Find("r34-no-adam")!.Config.LearningRate);
        Assert.Null(Ablation.Find("r34-adam")); // log-only run, not defined at v0.5.3
    }

    [Fact]
    public void EverySpec_PassesTheChannelValidatorAndShapeInference()
    {
        foreach (var spec in NetCatalog.Nets.Select(e => e.Spec).Concat(Ablation.All.Select(a => a.Spec)))
        {
            Channels.Validate(spec);
            var shapes = ShapeInference.Infer(spec);
            Assert.Equal(Shape.Flat(10), shapes[^1]);
        }
    }

    [Fact]
    public void Recipes_MatchTheBooksTrainerTable()
    {
        var r34 = NetCatalog.Find("resnet34")!.Config;
        Assert.Equal((0.001, 32, 80, true, 0.0001, true, 3, true, 0.1),
            (r34.LearningRate, r34.BatchSize, r34.Epochs, r34.UseAdam, r34.WeightDecay, r34.CosineDecay, r34.WarmupEpochs, r34.Augment,
                r34.LabelSmoothing));
        var vit = NetCatalog.Find("vit-tiny")!.Config;
        Assert.Equal((0.0003, 5), (vit.LearningRate, vit.WarmupEpochs));
        var cifar = NetCatalog.Find("cifar-cnn")!.Config;
        Assert.Equal((25, 2, true), (cifar.Epochs, cifar.WarmupEpochs, cifar.Augment));
        Assert.Equal(30, NetCatalog.Find("cifar-bn")!.Config.Epochs);
        Assert.Equal(0.0, Recipes.R34Bare.WeightDecay);
        Assert.Equal(314159, Recipes.S4tfBaseline().Seed);
    }
}
