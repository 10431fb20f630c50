using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>MobileViT (Mehta &amp; Rastegari 2022): MobileNet V2 body with MobileViT blocks (definition 93) in the deeper stages.</summary>
public static class MobileViT
{
    static readonly Family Family = new("MobileViT", Domain.VisionClassifiers, "Mehta & Rastegari 2022");

    public static readonly BestiaryEntry MobileViTS = Family.Entry("mobileViTS", "MobileViT-S", 256, 256,
        Figure.Of("5.6M, equal to paper", book: "5.6M", paper: "5.6M"),
        [
            Layer.ConvBn(3, 16, 3, 2, Padding.Same),
            Layer.InvertedResidual(16, 32, 4, 1, 1),
            Layer.InvertedResidual(32, 64, 4, 2, 3),
            Layer.InvertedResidual(64, 96, 4, 2, 1),
            Layer.MobileVitBlock(96, 144, 4, 288, 2),
            Layer.InvertedResidual(96, 128, 4, 2, 1),
            Layer.MobileVitBlock(128, 192, 4, 384, 4),
            Layer.InvertedResidual(128, 160, 4, 2, 1),
            Layer.MobileVitBlock(160, 240, 4, 480, 3),
            Layer.Conv2d(160, 640, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
            Layer.Dense(640, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry MobileViTXS = Family.Entry("mobileViTXS", "MobileViT-XS", 256, 256,
        Figure.Of("2.3M", book: "2.3M"),
        [
            Layer.ConvBn(3, 16, 3, 2, Padding.Same),
            Layer.InvertedResidual(16, 32, 4, 1, 1),
            Layer.InvertedResidual(32, 48, 4, 2, 3),
            Layer.InvertedResidual(48, 64, 4, 2, 1),
            Layer.MobileVitBlock(64, 96, 4, 192, 2),
            Layer.InvertedResidual(64, 80, 4, 2, 1),
            Layer.MobileVitBlock(80, 120, 4, 240, 4),
            Layer.InvertedResidual(80, 96, 4, 2, 1),
            Layer.MobileVitBlock(96, 144, 4, 288, 3),
            Layer.Conv2d(96, 384, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
            Layer.Dense(384, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry MobileViTXXS = Family.Entry("mobileViTXXS", "MobileViT-XXS", 256, 256,
        Figure.Of("1.3M", book: "1.3M"),
        [
            Layer.ConvBn(3, 16, 3, 2, Padding.Same),
            Layer.InvertedResidual(16, 16, 2, 1, 1),
            Layer.InvertedResidual(16, 24, 2, 2, 3),
            Layer.InvertedResidual(24, 48, 2, 2, 1),
            Layer.MobileVitBlock(48, 64, 4, 128, 2),
            Layer.InvertedResidual(48, 64, 2, 2, 1),
            Layer.MobileVitBlock(64, 80, 4, 160, 4),
            Layer.InvertedResidual(64, 80, 2, 2, 1),
            Layer.MobileVitBlock(80, 96, 4, 192, 3),
            Layer.Conv2d(80, 320, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
            Layer.Dense(320, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyMobileViT = Family.Entry("tinyMobileViT", "tiny-MobileViT", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 3, 2, Padding.Same),
            Layer.InvertedResidual(16, 32, 2, 1, 1),
            Layer.InvertedResidual(32, 48, 2, 2, 2),
            Layer.MobileVitBlock(48, 64, 2, 128, 2),
            Layer.Conv2d(48, 128, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [MobileViTS, MobileViTXS, MobileViTXXS, TinyMobileViT];
}
