using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// ShuffleNet v2 (Ma et al. 2018): channel split + identity + concat + shuffle (shuffleV2Block, definition 90).
/// </summary>
public static class ShuffleNetV2
{
    static readonly Family Family = new("ShuffleNetV2", Domain.VisionClassifiers, "Ma et al. 2018");

    /// <summary>The ImageNet layout: stem + pool, three stages of 4 / 8 / 4 units, a 1×1 head conv, GAP, dense head.</summary>
    static Layer[] ImageNet(long[] widths, long head) =>
    [
        Layer.ConvBn(3, 24, 3, 2, Padding.Same),
        Layer.MaxPool(2, 2),
        .. Repeat.Chain(24, widths, (ic, oc, i) => Layer.ShuffleV2Block(ic, oc, new long[] { 4, 8, 4 }[i])),
        Layer.Conv2d(widths[^1], head, 1, Padding.Same, Activation.Relu),
        Layer.GlobalAvgPool(),
        Layer.Dense(head, 1000, Activation.Identity),
    ];

    public static readonly BestiaryEntry ShuffleV2_0_5 = Family.Entry("shuffleV2_0_5", "ShuffleNet v2 0.5×", 224, 224,
        Figure.Of("1.37M; paper 1.4M", book: "1.37M", paper: "1.4M"), ImageNet([48, 96, 192], 1024));

    public static readonly BestiaryEntry ShuffleV2_1_0 = Family.Entry("shuffleV2_1_0", "ShuffleNet v2 1.0×", 224, 224,
        Figure.Of("2.29M; paper 2.3M", book: "2.29M", paper: "2.3M"), ImageNet([116, 232, 464], 1024));

    public static readonly BestiaryEntry ShuffleV2_1_5 = Family.Entry("shuffleV2_1_5", "ShuffleNet v2 1.5×", 224, 224,
        Figure.Of("3.52M; paper 3.5M", book: "3.52M", paper: "3.5M"), ImageNet([176, 352, 704], 1024));

    public static readonly BestiaryEntry ShuffleV2_2_0 = Family.Entry("shuffleV2_2_0", "ShuffleNet v2 2.0×", 224, 224,
        Figure.Of("7.41M, equal to paper", book: "7.41M", paper: "7.41M"), ImageNet([244, 488, 976], 2048));

    public static readonly BestiaryEntry TinyShuffleV2 = Family.Entry("tinyShuffleV2", "tiny-ShuffleV2", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 24, 3, 1, Padding.Same),
            .. Repeat.Chain(24, [48, 96], (ic, oc, _) => Layer.ShuffleV2Block(ic, oc, 2)),
            Layer.Conv2d(96, 256, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
            Layer.Dense(256, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [ShuffleV2_0_5, ShuffleV2_1_0, ShuffleV2_1_5, ShuffleV2_2_0, TinyShuffleV2];
}
