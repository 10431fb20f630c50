using LeanMlirVerify.Training.Specs;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>Shapes of facts §2.3–2.4 and the errors that name layer index, constructor and both shapes.</summary>
public class ShapeInferenceTests
{
    static NetSpec Spec(int h, params Layer[] layers) => new("T", layers, h, h);

    static SpecException Refused(NetSpec spec) => Assert.Throws<SpecException>(() => ShapeInference.Infer(spec));

    [Fact]
    public void MnistCnn_HasTheFactSheetShapes()
    {
        var shapes = ShapeInference.Infer(PartOneSpecs.MnistCnnNoBn).Select(s => s.ToString());
        Assert.Equal(["32×28×28", "32×28×28", "32×14×14", "[6272]", "[512]", "[512]", "[10]"], shapes);
        Assert.Equal(Shape.Image(1, 28, 28), ShapeInference.InputShape(PartOneSpecs.MnistCnnNoBn));
        Assert.Equal(Shape.Flat(784), ShapeInference.InputShape(PartOneSpecs.MnistMlp));
    }

    [Fact]
    public void ResNet34_AndMobileNetV2_FollowTheSameRule()
    {
        Assert.Equal(["64×112×112", "64×56×56", "64×56×56", "128×28×28", "256×14×14", "512×7×7", "[512]", "[10]"],
            ShapeInference.Infer(PartOneSpecs.ResNet34).Select(s => s.ToString()));
        Assert.Equal("160×7×7", ShapeInference.Infer(PartOneSpecs.MobileNetV2)[6].ToString());
        Assert.Equal("197 tokens × 192", ShapeInference.Infer(PartOneSpecs.VitTiny)[0].ToString());
    }

    [Fact]
    public void SameRule_RoundsUp_ForOddSizes()
    {
        var shapes = ShapeInference.Infer(Spec(7, ConvBn(1, 4, 3, 2, Same), MaxPool(2, 2), GlobalAvgPool(), Dense(4, 2, Identity)));
        Assert.Equal(Shape.Image(4, 4, 4), shapes[0]);
        Assert.Equal(Shape.Image(4, 2, 2), shapes[1]);
    }

    [Fact]
    public void ChannelMismatch_NamesIndexConstructorAndBothShapes()
    {
        var e = Refused(Spec(28, Conv2d(1, 32, 3, Same, Relu), Conv2d(16, 32, 3, Same, Relu)));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("layer 1 (conv2d conv(16→32,k3,same,relu))", e.Message);
        Assert.Contains("needs 16×28×28 (16 channels) but layer 0 (conv(1→32,k3,same,relu)) gives 32×28×28", e.Message);
    }

    [Fact]
    public void DenseWidthMismatch_AfterFlatten_IsRefused_StricterThanTheOriginal()
    {
        var spec = Spec(28, Conv2d(1, 32, 3, Same, Relu), MaxPool(2, 2), Flatten(), Dense(3136, 10, Identity));
        Channels.Validate(spec); // the original accepts any fanIn after a flatten
        var e = Refused(spec);
        Assert.Equal(3, e.LayerIndex);
        Assert.Contains("needs [3136] but layer 2 (flat) gives [6272]", e.Message);
    }

    [Fact]
    public void DenseOnAnImage_AsksForFlattenOrGap()
    {
        var e = Refused(Spec(28, Conv2d(1, 8, 3, Same, Relu), Dense(8, 10, Identity)));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("8×28×28", e.Message);
        Assert.Contains("flatten", e.Message);
    }

    [Fact]
    public void PatchGridMismatch_NamesTheSizes()
    {
        var e = Refused(
            new NetSpec("V", [PatchEmbed(3, 192, 16, 196), TransformerEncoder(192, 3, 768, 1), Dense(192, 10, Identity)], 32, 32));
        Assert.Equal(0, e.LayerIndex);
        Assert.Contains("nPatches 196", e.Message);
        Assert.Contains("floor(32/16)·floor(32/16) = 4", e.Message);
    }

    [Fact]
    public void TransformerWithoutTokens_IsRefused()
    {
        var e = Refused(Spec(28, Dense(784, 64, Relu), TransformerEncoder(64, 4, 128, 1)));
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("tokens × 64", e.Message);
        Assert.Contains("gives [64]", e.Message);
    }

    [Fact]
    public void MaxPoolOnAFlatInput_IsRefused()
    {
        var e = Refused(Spec(28, Dense(784, 64, Relu), MaxPool(2, 2)));
        Assert.Contains("needs an image C×H×W but layer 0 (fc(784→64,relu)) gives [64]", e.Message);
    }

    [Fact]
    public void AvgPool2_HalvesEvenSizes_AndRefusesOddOnesNamingTheLayer()
    {
        var shapes = ShapeInference.Infer(
            Spec(28, Conv2d(1, 4, 3, Same, Relu), AvgPool2(), AvgPool2(), Flatten(), Dense(4 * 7 * 7, 10, Identity)));
        Assert.Equal([Shape.Image(4, 14, 14), Shape.Image(4, 7, 7)], shapes.Skip(1).Take(2));
        var e = Refused(Spec(28, Conv2d(1, 4, 3, Same, Relu), AvgPool2(), AvgPool2(), AvgPool2(), Flatten(), Dense(36, 10, Identity)));
        Assert.Equal(3, e.LayerIndex);
        Assert.Contains(
            "layer 3 (avgPool2 ap(2/2)): needs an image C×H×W with even H and W but layer 2 (ap(2/2)) gives 4×7×7", e.Message);
    }

    [Fact]
    public void EvenKernelConv2d_IsRefused()
    {
        var e = Refused(Spec(28, Conv2d(1, 8, 2, Same, Relu), Flatten(), Dense(8 * 28 * 28, 10, Identity)));
        Assert.Equal(0, e.LayerIndex);
        Assert.Contains("even kernel 2", e.Message);
    }

    [Fact]
    public void BestiaryConstructor_CannotBeTrained_ButPassesTheValidator()
    {
        var spec = Spec(28, ConvBn(1, 64, 3, 1, Same), UnetDown(64, 128), GlobalAvgPool(), Dense(128, 10, Identity));
        Channels.Validate(spec);
        var e = Refused(spec);
        Assert.Equal(1, e.LayerIndex);
        Assert.Contains("unetDown", e.Message);
    }

    [Fact]
    public void Validator_ChecksChannelsAfterGapAndTransformer_ButNotAfterFlatten()
    {
        Channels.Validate(Spec(28, ConvBn(1, 8, 3, 1, Same), Flatten(), Dense(999, 10, Identity)));
        var afterGap = Assert.Throws<SpecException>(
            () => Channels.Validate(Spec(28, ConvBn(1, 8, 3, 1, Same), GlobalAvgPool(), Dense(9, 10, Identity))));
        Assert.Equal(2, afterGap.LayerIndex);
        Assert.Contains("expects 9 input channels but layer 0 (cbn(1→8,k3,s1)) gives 8", afterGap.Message);
        var afterTx = Assert.Throws<SpecException>(
            () => Channels.Validate(Spec(224, PatchEmbed(3, 192, 16, 196), TransformerEncoder(192, 3, 768, 1), Dense(190, 10, Identity))));
        Assert.Equal(2, afterTx.LayerIndex);
    }

    [Fact]
    public void Validator_PatchMergingResetsTheWidth_SwinStageChangesNothing()
    {
        Channels.Validate(
            Spec(224, PatchEmbed(3, 96, 4, 3136), SwinStage(96, 3, 384, 7, 2), PatchMerging(96, 192), SwinStage(192, 6, 768, 7, 2)));
        Assert.Throws<SpecException>(
            () => Channels.Validate(Spec(224, PatchEmbed(3, 96, 4, 3136), PatchMerging(96, 192), SwinStage(96, 3, 384, 7, 2))));
    }

    [Fact]
    public void ResidualFirst_IsRefused_AsTheOriginalCannotFeedIt()
    {
        var e = Refused(Spec(28, ResidualBlock(1, 8, 1, 1), GlobalAvgPool(), Dense(8, 10, Identity)));
        Assert.Equal(0, e.LayerIndex);
        Assert.Contains("the input gives [784]", e.Message);
    }

    [Fact]
    public void BadArguments_AndGapOnAFlatInput_AreRefused()
    {
        Assert.Contains(
            "kernel and stride must be at least 1",
            Refused(Spec(28, ConvBn(1, 8, 3, 0, Same), Flatten(), Dense(8 * 28 * 28, 10, Identity))).Message);
        Assert.Contains(
            "must split evenly over 5 heads",
            Refused(new NetSpec("V", [PatchEmbed(1, 12, 7, 16), TransformerEncoder(12, 5, 24, 1)], 28, 28)).Message);
        var gap = Refused(Spec(28, Dense(784, 10, Relu), GlobalAvgPool()));
        Assert.Equal(1, gap.LayerIndex);
        Assert.Contains("needs an image C×H×W but layer 0 (fc(784→10,relu)) gives [10]", gap.Message);
    }
}
