using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>ConvNeXt (Liu et al. 2022): ResNet modernised: 7×7 depthwise, inverted bottleneck, LayerNorm, separate downsamples (definitions 94, 95).</summary>
public static class ConvNeXt
{
    static readonly Family Family = new("ConvNeXt", Domain.VisionClassifiers, "Liu et al. 2022");

    public static readonly BestiaryEntry ConvNextT = Family.Entry("convNextT", "ConvNeXt-T", 224, 224,
        Figure.Of("28M (within 1% of paper)", book: "28M"),
        [
            Layer.ConvBn(3, 96, 4, 4, Padding.Same),
            Layer.ConvNextStage(96, 3),
            Layer.ConvNextDownsample(96, 192),
            Layer.ConvNextStage(192, 3),
            Layer.ConvNextDownsample(192, 384),
            Layer.ConvNextStage(384, 9),
            Layer.ConvNextDownsample(384, 768),
            Layer.ConvNextStage(768, 3),
            Layer.GlobalAvgPool(),
            Layer.Dense(768, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ConvNextS = Family.Entry("convNextS", "ConvNeXt-S", 224, 224,
        Figure.Of("50M (within 1% of paper)", book: "50M"),
        [
            Layer.ConvBn(3, 96, 4, 4, Padding.Same),
            Layer.ConvNextStage(96, 3),
            Layer.ConvNextDownsample(96, 192),
            Layer.ConvNextStage(192, 3),
            Layer.ConvNextDownsample(192, 384),
            Layer.ConvNextStage(384, 27),
            Layer.ConvNextDownsample(384, 768),
            Layer.ConvNextStage(768, 3),
            Layer.GlobalAvgPool(),
            Layer.Dense(768, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ConvNextB = Family.Entry("convNextB", "ConvNeXt-B", 224, 224,
        Figure.Of("89M (within 1% of paper)", book: "89M"),
        [
            Layer.ConvBn(3, 128, 4, 4, Padding.Same),
            Layer.ConvNextStage(128, 3),
            Layer.ConvNextDownsample(128, 256),
            Layer.ConvNextStage(256, 3),
            Layer.ConvNextDownsample(256, 512),
            Layer.ConvNextStage(512, 27),
            Layer.ConvNextDownsample(512, 1024),
            Layer.ConvNextStage(1024, 3),
            Layer.GlobalAvgPool(),
            Layer.Dense(1024, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ConvNextL = Family.Entry("convNextL", "ConvNeXt-L", 224, 224,
        Figure.Of("198M (within 1% of paper)", book: "198M"),
        [
            Layer.ConvBn(3, 192, 4, 4, Padding.Same),
            Layer.ConvNextStage(192, 3),
            Layer.ConvNextDownsample(192, 384),
            Layer.ConvNextStage(384, 3),
            Layer.ConvNextDownsample(384, 768),
            Layer.ConvNextStage(768, 27),
            Layer.ConvNextDownsample(768, 1536),
            Layer.ConvNextStage(1536, 3),
            Layer.GlobalAvgPool(),
            Layer.Dense(1536, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyConvNext = Family.Entry("tinyConvNext", "tiny-ConvNeXt", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 2, 2, Padding.Same),
            Layer.ConvNextStage(32, 2),
            Layer.ConvNextDownsample(32, 64),
            Layer.ConvNextStage(64, 2),
            Layer.ConvNextDownsample(64, 128),
            Layer.ConvNextStage(128, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [ConvNextT, ConvNextS, ConvNextB, ConvNextL, TinyConvNext];
}
