using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>DeepLabV3Plus (Chen et al. 2018): atrous backbone + ASPP (definition 102) + light decoder.</summary>
public static class DeepLabV3Plus
{
    static readonly Family Family = new("DeepLabV3Plus", Domain.SemanticSegmentation, "Chen et al. 2018",
        "The decoder's low-level skip from backbone stage 2 does not linearise; the decoder is shown as convs after ASPP.");

    /// <summary>ASPP to 256 channels, two 3×3 decoder convs, a 1×1 conv to the 21 PASCAL VOC classes.</summary>
    static Layer[] Head(long ic) =>
    [
        Layer.AsppModule(ic, 256),
        .. Repeat.Times(2, Layer.Conv2d(256, 256, 3, Padding.Same, Activation.Relu)),
        Layer.Conv2d(256, 21, 1, Padding.Same, Activation.Identity),
    ];

    public static readonly BestiaryEntry Deeplabv3plusResnet101 = Family.Entry("deeplabv3plusResnet101", "DeepLab v3+ (ResNet-101 backbone)", 513, 513,
        Figure.Of("59M; paper ≈63M", book: "59M", paper: "≈63M"),
        [
            .. Backbones.ResNet(Backbones.ResNet101, poolSize: 3, lastStride: 1),
            .. Head(2048),
        ]);

    public static readonly BestiaryEntry Deeplabv3plusMobilenet = Family.Entry("deeplabv3plusMobilenet", "DeepLab v3+ (MobileNet v2 backbone)", 513, 513,
        Figure.Of("5.7M; paper ≈6M", book: "5.7M", paper: "≈6M"),
        [
            Layer.ConvBn(3, 32, 3, 2, Padding.Same),
            Layer.InvertedResidual(32, 16, 1, 1, 1),
            Layer.InvertedResidual(16, 24, 6, 2, 2),
            Layer.InvertedResidual(24, 32, 6, 2, 3),
            Layer.InvertedResidual(32, 64, 6, 2, 4),
            Layer.InvertedResidual(64, 96, 6, 1, 3),
            Layer.InvertedResidual(96, 160, 6, 1, 3),
            Layer.InvertedResidual(160, 320, 6, 1, 1),
            .. Head(320),
        ]);

    public static readonly BestiaryEntry TinyDeepLab = Family.Entry("tinyDeepLab", "tiny-DeepLab v3+", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 3, 2, Padding.Same),
            Layer.BottleneckBlock(32, 64, 2, 2),
            Layer.BottleneckBlock(64, 128, 2, 2),
            Layer.AsppModule(128, 64),
            Layer.Conv2d(64, 32, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(32, 10, 1, Padding.Same, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Deeplabv3plusResnet101, Deeplabv3plusMobilenet, TinyDeepLab];
}
