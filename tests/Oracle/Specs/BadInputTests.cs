using LeanMlirVerify.Oracle.Trainer;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>
/// Specs whose shapes do not meet, and data the net cannot take, are refused before any training step, naming the
/// layer index and both shapes (or both image sizes).
/// </summary>
public class BadInputTests
{
    /// <summary>ResNet-34 with the third stage declared for 64 input channels, after a stage that gives 128.</summary>
    [Fact]
    public void WrongChannelsAfterAResidualStage_FailBeforeTraining_NamingLayerAndBothShapes()
    {
        var layers = PartOneSpecs.ResNet34.Layers.ToList();
        layers[4] = ResidualBlock(64, 256, 6, 2);
        var spec = PartOneSpecs.ResNet34 with { Layers = layers };
        var e = Assert.Throws<SpecException>(() => NetworkBuilder.Build(spec));
        Assert.Equal(4, e.LayerIndex);
        Assert.Equal(
            "ResNet-34: layer 4 (residualBlock res(64→256,×6,s2)): needs 64×28×28 (64 channels) but layer 3 (res(64→128,×4,s2)) "
            + "gives 128×28×28", e.Message);
    }

    /// <summary>Patch 15 on 224: floor(224/15)² = 196 patches, as declared, yet 14 pixel rows and columns would be dropped.</summary>
    [Fact]
    public void PatchSizeThatDoesNotDivideTheImage_FailsNamingTheSizes()
    {
        var spec = PartOneSpecs.VitTiny with { Layers = [PatchEmbed(3, 192, 15, 196), .. PartOneSpecs.VitTiny.Layers.Skip(1)] };
        var e = Assert.Throws<SpecException>(() => NetworkBuilder.Build(spec));
        Assert.Equal(0, e.LayerIndex);
        Assert.Contains(
            "patch size 15 does not divide the 3×224×224 input from the input, so the patch grid would drop pixels: 224 = 14·15 + 14, "
            + "224 = 14·15 + 14", e.Message);
        ShapeInference.Infer(PartOneSpecs.VitTiny); // 16 divides 224
    }

    [Fact]
    public void CifarNet_On28x28Images_IsRefusedNamingBothSizesAndTheLayerThatBreaks()
    {
        var cifar = NetCatalog.Find("cifar-bn")!.Spec;
        Assert.Null(ShapeInference.InputProblem(cifar, Shape.Image(3, 32, 32)));
        string problem = ShapeInference.InputProblem(cifar, Shape.Image(3, 28, 28))!;
        Assert.StartsWith(
            "images of 3×28×28 (2352 floats), but CIFAR-10-BN takes 3×32×32 (3072 floats); at 28×28, layer 7 (fc(4096→512,relu))",
            problem);
        Assert.Contains("needs [4096] but layer 6 (flat) gives [3136]", problem);
        Assert.Contains("1×28×28", ShapeInference.InputProblem(cifar, Shape.Image(1, 28, 28)));
        Assert.Contains("declared for 224×224", ShapeInference.InputProblem(PartOneSpecs.ResNet34, Shape.Image(3, 256, 256)));
        Assert.Null(ShapeInference.InputProblem(PartOneSpecs.MnistMlp, Shape.Image(1, 28, 28)));
    }

    /// <summary>The trainer itself refuses Fashion-MNIST-shaped data for a CIFAR net, before a step and before writing anything.</summary>
    [Fact]
    public void TrainingLoop_RefusesImagesTheNetCannotTake_BeforeWritingAnything()
    {
        using var data = new TinyData(train: 16, test: 10);
        var e = Assert.Throws<InvalidDataException>(() =>
            new TrainingLoop(NetCatalog.Find("cifar-cnn")!.Spec, new TrainConfig(0.01, 8, 1), DatasetKind.Mnist, data.Options("run"))
                .Run());
        Assert.Contains(
            "train-images-idx3-ubyte: images of 1×28×28 (784 floats), but CIFAR-10-CNN takes 3×32×32 (3072 floats)", e.Message);
        Assert.False(Directory.Exists(data.Out("run")));
    }
}
