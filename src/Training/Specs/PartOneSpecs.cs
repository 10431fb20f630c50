using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;

namespace LeanMlirVerify.Training.Specs;

/// <summary>The book's Part-1 networks and the repo's other trainer nets (netspec facts §4, §4.8), as listed there.</summary>
public static class PartOneSpecs
{
    /// <summary>
    /// The BN variant of a plain CNN as the book builds it: each conv2d(ic, oc, k, pad, relu) becomes
    /// convBn(ic, oc, k, 1, pad); everything else stays.
    /// </summary>
    public static NetSpec WithBatchNorm(this NetSpec spec, string name) => spec with
    {
        Name = name,
        Layers = spec.Layers.Select(l => l is Conv2d c ? ConvBn(c.Ic, c.Oc, c.K, 1, c.Pad) : l).ToList(),
    };

    public static NetSpec MnistMlp => new("MNIST-MLP", [
        Dense(784, 512, Relu),
        Dense(512, 512, Relu),
        Dense(512, 10, Identity),
    ], 28, 28);

    /// <summary>The book's chapter-4 CNN (no BN, 3,489,130 params); the original keeps it in its ablation runner.</summary>
    public static NetSpec MnistCnnNoBn => new("MNIST-CNN-noBN", [
        Conv2d(1, 32, 3, Same, Relu),
        Conv2d(32, 32, 3, Same, Relu),
        MaxPool(2, 2),
        Flatten(),
        Dense(6272, 512, Relu),
        Dense(512, 512, Relu),
        Dense(512, 10, Identity),
    ], 28, 28);

    /// <summary>The repo's standalone MNIST CNN trainer net (with BN); identical to the ablation's mnistCnnBn.</summary>
    public static NetSpec MnistCnnBn => new("MNIST-CNN-BN", [
        ConvBn(1, 32, 3, 1, Same),
        ConvBn(32, 32, 3, 1, Same),
        MaxPool(2, 2),
        ConvBn(32, 64, 3, 1, Same),
        ConvBn(64, 64, 3, 1, Same),
        MaxPool(2, 2),
        Flatten(),
        Dense(3136, 512, Relu),
        Dense(512, 10, Identity),
    ], 28, 28);

    public static NetSpec CifarCnn(string name = "CIFAR-CNN-noBN") => new(name, [
        Conv2d(3, 32, 3, Same, Relu),
        Conv2d(32, 32, 3, Same, Relu),
        MaxPool(2, 2),
        Conv2d(32, 64, 3, Same, Relu),
        Conv2d(64, 64, 3, Same, Relu),
        MaxPool(2, 2),
        Flatten(),
        Dense(4096, 512, Relu),
        Dense(512, 512, Relu),
        Dense(512, 10, Identity),
    ], 32, 32);

    /// <summary>The same net with every conv2d turned into convBn (stride 1): conv biases go, γ/β and BN come in.</summary>
    public static NetSpec CifarBn(string name = "CIFAR-CNN-BN") => CifarCnn(name).WithBatchNorm(name);

    /// <summary>ResNet-34: the 2/2 max-pool stands in for the paper's 3×3/2 pool (both give 56×56 here).</summary>
    public static NetSpec ResNet34 => new("ResNet-34", [
        ConvBn(3, 64, 7, 2, Same),
        MaxPool(2, 2),
        ResidualBlock(64, 64, 3, 1),
        ResidualBlock(64, 128, 4, 2),
        ResidualBlock(128, 256, 6, 2),
        ResidualBlock(256, 512, 3, 2),
        GlobalAvgPool(),
        Dense(512, 10, Identity),
    ], 224, 224);

    public static NetSpec ResNet50 => new("ResNet-50", [
        ConvBn(3, 64, 7, 2, Same),
        MaxPool(2, 2),
        BottleneckBlock(64, 256, 3, 1),
        BottleneckBlock(256, 512, 4, 2),
        BottleneckBlock(512, 1024, 6, 2),
        BottleneckBlock(1024, 2048, 3, 2),
        GlobalAvgPool(),
        Dense(2048, 10, Identity),
    ], 224, 224);

    public static NetSpec MobileNetV2 => new("MobileNet-v2", [
        ConvBn(3, 32, 3, 2, Same),
        InvertedResidual(32, 16, 1, 1, 1),
        InvertedResidual(16, 24, 6, 2, 2),
        InvertedResidual(24, 32, 6, 2, 3),
        InvertedResidual(32, 64, 6, 2, 4),
        InvertedResidual(64, 96, 6, 1, 3),
        InvertedResidual(96, 160, 6, 2, 3),
        InvertedResidual(160, 320, 6, 1, 1),
        ConvBn(320, 1280, 1, 1, Same),
        GlobalAvgPool(),
        Dense(1280, 10, Identity),
    ], 224, 224);

    public static NetSpec MobileNetV3Large => new("MobileNet v3-Large", [
        ConvBn(3, 16, 3, 2, Same),
        MbConvV3(16, 16, 16, 3, 1, false, false),
        MbConvV3(16, 24, 64, 3, 2, false, false),
        MbConvV3(24, 24, 72, 3, 1, false, false),
        MbConvV3(24, 40, 72, 5, 2, true, false),
        MbConvV3(40, 40, 120, 5, 1, true, false),
        MbConvV3(40, 40, 120, 5, 1, true, false),
        MbConvV3(40, 80, 240, 3, 2, false, true),
        MbConvV3(80, 80, 200, 3, 1, false, true),
        MbConvV3(80, 80, 184, 3, 1, false, true),
        MbConvV3(80, 80, 184, 3, 1, false, true),
        MbConvV3(80, 112, 480, 3, 1, true, true),
        MbConvV3(112, 112, 672, 5, 1, true, true),
        MbConvV3(112, 160, 672, 5, 2, true, true),
        MbConvV3(160, 160, 960, 5, 1, true, true),
        MbConvV3(160, 160, 960, 5, 1, true, true),
        ConvBn(160, 960, 1, 1, Same),
        GlobalAvgPool(),
        Dense(960, 10, Identity),
    ], 224, 224);

    public static NetSpec MobileNetV4Medium => new("MobileNet V4-Medium", [
        ConvBn(3, 32, 3, 2, Same),
        FusedMbConv(32, 48, 4, 3, 2, 1, false),
        Uib(48, 80, 4, 2, 3, 5),
        Uib(80, 80, 2, 1, 3, 3),
        Uib(80, 160, 6, 2, 0, 3),
        Uib(160, 160, 4, 1, 3, 3),
        Uib(160, 160, 4, 1, 3, 5),
        Uib(160, 160, 4, 1, 5, 0),
        Uib(160, 160, 4, 1, 0, 3),
        Uib(160, 160, 4, 1, 3, 0),
        Uib(160, 160, 4, 1, 0, 0),
        Uib(160, 160, 4, 1, 3, 3),
        Uib(160, 256, 6, 2, 5, 5),
        Uib(256, 256, 4, 1, 5, 5),
        Uib(256, 256, 4, 1, 0, 3),
        Uib(256, 256, 4, 1, 3, 0),
        ConvBn(256, 1280, 1, 1, Same),
        GlobalAvgPool(),
        Dense(1280, 10, Identity),
    ], 224, 224);

    /// <summary>EfficientNet-B0 with the code's SE width (expanded channels / 4), which gives the book's 7,155,658.</summary>
    public static NetSpec EfficientNetB0 => new("EfficientNet-B0", [
        ConvBn(3, 32, 3, 2, Same),
        MbConv(32, 16, 1, 3, 1, 1, true),
        MbConv(16, 24, 6, 3, 2, 2, true),
        MbConv(24, 40, 6, 5, 2, 2, true),
        MbConv(40, 80, 6, 3, 2, 3, true),
        MbConv(80, 112, 6, 5, 1, 3, true),
        MbConv(112, 192, 6, 5, 2, 4, true),
        MbConv(192, 320, 6, 3, 1, 1, true),
        ConvBn(320, 1280, 1, 1, Same),
        GlobalAvgPool(),
        Dense(1280, 10, Identity),
    ], 224, 224);

    public static NetSpec EfficientNetV2S => new("EfficientNet V2-S", [
        ConvBn(3, 24, 3, 2, Same),
        FusedMbConv(24, 24, 1, 3, 1, 2, false),
        FusedMbConv(24, 48, 4, 3, 2, 4, false),
        FusedMbConv(48, 64, 4, 3, 2, 4, false),
        MbConv(64, 128, 4, 3, 2, 6, true),
        MbConv(128, 160, 6, 3, 1, 9, true),
        MbConv(160, 256, 6, 3, 2, 15, true),
        ConvBn(256, 1280, 1, 1, Same),
        GlobalAvgPool(),
        Dense(1280, 10, Identity),
    ], 224, 224);

    public static NetSpec Vgg16Bn => new("VGG-16-BN", [
        ConvBn(3, 64, 3, 1, Same), ConvBn(64, 64, 3, 1, Same), MaxPool(2, 2),
        ConvBn(64, 128, 3, 1, Same), ConvBn(128, 128, 3, 1, Same), MaxPool(2, 2),
        ConvBn(128, 256, 3, 1, Same), ConvBn(256, 256, 3, 1, Same), ConvBn(256, 256, 3, 1, Same), MaxPool(2, 2),
        ConvBn(256, 512, 3, 1, Same), ConvBn(512, 512, 3, 1, Same), ConvBn(512, 512, 3, 1, Same), MaxPool(2, 2),
        ConvBn(512, 512, 3, 1, Same), ConvBn(512, 512, 3, 1, Same), ConvBn(512, 512, 3, 1, Same), MaxPool(2, 2),
        GlobalAvgPool(),
        Dense(512, 10, Identity),
    ], 224, 224);

    public static NetSpec VitTiny => new("ViT-Tiny", [
        PatchEmbed(3, 192, 16, 196),
        TransformerEncoder(192, 3, 768, 12),
        Dense(192, 10, Identity),
    ], 224, 224);
}
