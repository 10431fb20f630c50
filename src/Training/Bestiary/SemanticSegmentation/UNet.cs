using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>UNet (Ronneberger et al. 2015): symmetric encoder/decoder (unetDown/unetUp, definitions 85, 86).</summary>
public static class UNet
{
    static readonly Family Family = new("UNet", Domain.SemanticSegmentation, "Ronneberger et al. 2015", "Skip connections are implicit: the i-th unetUp from the bottom pairs with the i-th unetDown from the top.");

    public static readonly BestiaryEntry Unet = Family.Entry("unet", "UNet (original, grayscale → 2-class)", 512, 512,
        Figure.Of("31M, matches Ronneberger et al.", book: "31M", paper: "31M"),
        [
            Layer.UnetDown(1, 64),
            Layer.UnetDown(64, 128),
            Layer.UnetDown(128, 256),
            Layer.UnetDown(256, 512),
            Layer.ConvBn(512, 1024, 3, 1, Padding.Same),
            Layer.ConvBn(1024, 1024, 3, 1, Padding.Same),
            Layer.UnetUp(1024, 512),
            Layer.UnetUp(512, 256),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.Conv2d(64, 2, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry UnetRgb = Family.Entry("unetRgb", "UNet (RGB → 10-class)", 512, 512,
        Figure.NotQuoted(),
        [
            Layer.UnetDown(3, 64),
            Layer.UnetDown(64, 128),
            Layer.UnetDown(128, 256),
            Layer.UnetDown(256, 512),
            Layer.ConvBn(512, 1024, 3, 1, Padding.Same),
            Layer.ConvBn(1024, 1024, 3, 1, Padding.Same),
            Layer.UnetUp(1024, 512),
            Layer.UnetUp(512, 256),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.Conv2d(64, 10, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry UnetSmall = Family.Entry("unetSmall", "UNet (small, depth 3)", 256, 256,
        Figure.NotQuoted(),
        [
            Layer.UnetDown(3, 32),
            Layer.UnetDown(32, 64),
            Layer.UnetDown(64, 128),
            Layer.ConvBn(128, 256, 3, 1, Padding.Same),
            Layer.ConvBn(256, 256, 3, 1, Padding.Same),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.UnetUp(64, 32),
            Layer.Conv2d(32, 3, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyUnet = Family.Entry("tinyUnet", "tiny-UNet (depth 2)", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.UnetDown(3, 16),
            Layer.UnetDown(16, 32),
            Layer.ConvBn(32, 64, 3, 1, Padding.Same),
            Layer.ConvBn(64, 64, 3, 1, Padding.Same),
            Layer.UnetUp(64, 32),
            Layer.UnetUp(32, 16),
            Layer.Conv2d(16, 1, 1, Padding.Same, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Unet, UnetRgb, UnetSmall, TinyUnet];
}
