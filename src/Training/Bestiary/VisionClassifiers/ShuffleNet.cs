using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>ShuffleNet (Zhang et al. 2017): grouped 1×1 convs + channel shuffle (shuffleBlock, definition 89).</summary>
public static class ShuffleNet
{
    static readonly Family Family = new("ShuffleNet", Domain.VisionClassifiers, "Zhang et al. 2017");

    public static readonly BestiaryEntry ShuffleNet1x = Family.Entry("shuffleNet1x", "ShuffleNet 1.0× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~2.4M)"),
        [
            Layer.ConvBn(3, 24, 3, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.ShuffleBlock(24, 240, 3, 4),
            Layer.ShuffleBlock(240, 480, 3, 8),
            Layer.ShuffleBlock(480, 960, 3, 4),
            Layer.GlobalAvgPool(),
            Layer.Dense(960, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ShuffleNet0_5x = Family.Entry("shuffleNet0_5x", "ShuffleNet 0.5× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~1.0M)"),
        [
            Layer.ConvBn(3, 24, 3, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.ShuffleBlock(24, 120, 3, 4),
            Layer.ShuffleBlock(120, 240, 3, 8),
            Layer.ShuffleBlock(240, 480, 3, 4),
            Layer.GlobalAvgPool(),
            Layer.Dense(480, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ShuffleNet2x = Family.Entry("shuffleNet2x", "ShuffleNet 2.0× (g=3)", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~5.4M)"),
        [
            Layer.ConvBn(3, 24, 3, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.ShuffleBlock(24, 480, 3, 4),
            Layer.ShuffleBlock(480, 960, 3, 8),
            Layer.ShuffleBlock(960, 1920, 3, 4),
            Layer.GlobalAvgPool(),
            Layer.Dense(1920, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyShuffle = Family.Entry("tinyShuffle", "tiny-ShuffleNet (g=2)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 3, 1, Padding.Same),
            Layer.ShuffleBlock(16, 32, 2, 2),
            Layer.ShuffleBlock(32, 64, 2, 2),
            Layer.ShuffleBlock(64, 128, 2, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [ShuffleNet1x, ShuffleNet0_5x, ShuffleNet2x, TinyShuffle];
}
