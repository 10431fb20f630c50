using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>UNet (Ronneberger et al. 2015): symmetric encoder/decoder (unetDown/unetUp, definitions 85, 86).</summary>
public static class UNet
{
    static readonly Family Family = new("UNet", Domain.SemanticSegmentation, "Ronneberger et al. 2015",
        "Skip connections are implicit: the i-th unetUp from the bottom pairs with the i-th unetDown from the top.");

    /// <summary>
    /// Encoder stages at <paramref name="widths"/>, a two-conv bottleneck at twice the last width, decoder stages back
    /// down the same widths, and a 1×1 conv to the classes.
    /// </summary>
    static Layer[] Net(long ic, long[] widths, long classes)
    {
        long bottom = 2 * widths[^1];
        long[] up = [.. widths.Reverse()];
        return
        [
            .. Repeat.Chain(ic, widths, (a, b, _) => Layer.UnetDown(a, b)),
            Layer.ConvBn(widths[^1], bottom, 3, 1, Padding.Same),
            Layer.ConvBn(bottom, bottom, 3, 1, Padding.Same),
            .. Repeat.Chain(bottom, up, (a, b, _) => Layer.UnetUp(a, b)),
            Layer.Conv2d(widths[0], classes, 1, Padding.Same, Activation.Identity),
        ];
    }

    public static readonly BestiaryEntry Unet = Family.Entry("unet", "UNet (original, grayscale → 2-class)", 512, 512,
        Figure.Of("31M, matches Ronneberger et al.", book: "31M", paper: "31M"), Net(1, [64, 128, 256, 512], 2));

    public static readonly BestiaryEntry UnetRgb = Family.Entry("unetRgb", "UNet (RGB → 10-class)", 512, 512,
        Figure.NotQuoted(), Net(3, [64, 128, 256, 512], 10));

    public static readonly BestiaryEntry UnetSmall = Family.Entry("unetSmall", "UNet (small, depth 3)", 256, 256,
        Figure.NotQuoted(), Net(3, [32, 64, 128], 3));

    public static readonly BestiaryEntry TinyUnet = Family.Entry("tinyUnet", "tiny-UNet (depth 2)", 64, 64,
        Figure.NotQuoted(), Net(3, [16, 32], 1));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Unet, UnetRgb, UnetSmall, TinyUnet];
}
