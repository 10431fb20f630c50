using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// ShuffleNet (Zhang et al. 2017): grouped 1×1 convs + channel shuffle (shuffleBlock, definition 89).
/// </summary>
public static class ShuffleNet
{
    static readonly Family Family = new("ShuffleNet", Domain.VisionClassifiers, "Zhang et al. 2017");

    /// <summary>The ImageNet layout at g = 3: stem + pool, three stages of 4 / 8 / 4 units at the given widths, GAP, dense head.</summary>
    static Layer[] ImageNet(long[] widths) =>
    [
        Layer.ConvBn(3, 24, 3, 2, Padding.Same),
        Layer.MaxPool(2, 2),
        .. Repeat.Chain(24, widths, (ic, oc, i) => Layer.ShuffleBlock(ic, oc, 3, new long[] { 4, 8, 4 }[i])),
        Layer.GlobalAvgPool(),
        Layer.Dense(widths[^1], 1000, Activation.Identity),
    ];

    public static readonly BestiaryEntry ShuffleNet1x = Family.Entry("shuffleNet1x", "ShuffleNet 1.0× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~2.4M)"), ImageNet([240, 480, 960]));

    public static readonly BestiaryEntry ShuffleNet0_5x = Family.Entry("shuffleNet0_5x", "ShuffleNet 0.5× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~1.0M)"), ImageNet([120, 240, 480]));

    public static readonly BestiaryEntry ShuffleNet2x = Family.Entry("shuffleNet2x", "ShuffleNet 2.0× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~5.4M)"), ImageNet([480, 960, 1920]));

    public static readonly BestiaryEntry TinyShuffle = Family.Entry("tinyShuffle", "tiny-ShuffleNet (g=2)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 3, 1, Padding.Same),
            .. Repeat.Chain(16, [32, 64, 128], (ic, oc, _) => Layer.ShuffleBlock(ic, oc, 2, 2)),
            Layer.GlobalAvgPool(),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [ShuffleNet1x, ShuffleNet0_5x, ShuffleNet2x, TinyShuffle];
}
