using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// ConvNeXt (Liu et al. 2022): ResNet modernised: 7×7 depthwise, inverted bottleneck, LayerNorm, separate
/// downsamples (definitions 94, 95).
/// </summary>
public static class ConvNeXt
{
    static readonly Family Family = new("ConvNeXt", Domain.VisionClassifiers, "Liu et al. 2022");

    /// <summary>Patchify stem (k×k conv, stride k), the stages with a downsample between them, GAP and a dense head.</summary>
    static Layer[] Net(long[] widths, long[] depths, long stem, long classes) =>
    [
        Layer.ConvBn(3, widths[0], stem, stem, Padding.Same),
        .. Repeat.Stages(widths, i => Layer.ConvNextStage(widths[i], depths[i]), Layer.ConvNextDownsample),
        Layer.GlobalAvgPool(),
        Layer.Dense(widths[^1], classes, Activation.Identity),
    ];

    public static readonly BestiaryEntry ConvNextT = Family.Entry("convNextT", "ConvNeXt-T", 224, 224,
        Figure.Of("28M (within 1% of paper)", book: "28M"), Net([96, 192, 384, 768], [3, 3, 9, 3], 4, 1000));

    public static readonly BestiaryEntry ConvNextS = Family.Entry("convNextS", "ConvNeXt-S", 224, 224,
        Figure.Of("50M (within 1% of paper)", book: "50M"), Net([96, 192, 384, 768], [3, 3, 27, 3], 4, 1000));

    public static readonly BestiaryEntry ConvNextB = Family.Entry("convNextB", "ConvNeXt-B", 224, 224,
        Figure.Of("89M (within 1% of paper)", book: "89M"), Net([128, 256, 512, 1024], [3, 3, 27, 3], 4, 1000));

    public static readonly BestiaryEntry ConvNextL = Family.Entry("convNextL", "ConvNeXt-L", 224, 224,
        Figure.Of("198M (within 1% of paper)", book: "198M"), Net([192, 384, 768, 1536], [3, 3, 27, 3], 4, 1000));

    public static readonly BestiaryEntry TinyConvNext = Family.Entry("tinyConvNext", "tiny-ConvNeXt", 32, 32,
        Figure.NotQuoted(), Net([32, 64, 128], [2, 2, 2], 2, 10));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [ConvNextT, ConvNextS, ConvNextB, ConvNextL, TinyConvNext];
}
