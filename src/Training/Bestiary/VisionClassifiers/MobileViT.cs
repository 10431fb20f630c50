using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// MobileViT (Mehta &amp; Rastegari 2022): MobileNet V2 body with MobileViT blocks (definition 93) in the deeper
/// stages.
/// </summary>
public static class MobileViT
{
    static readonly Family Family = new("MobileViT", Domain.VisionClassifiers, "Mehta & Rastegari 2022");

    /// <summary>
    /// The paper's layout: stem, MV2 stages at widths c[0..2] (the second with 3 blocks), then three stages of an MV2
    /// downsample to c[3 + i] followed by a MobileViT block of width dims[i] (MLP 2× the width, 4 heads, 2 / 4 / 3
    /// transformer layers), a 1×1 expansion to <paramref name="head"/>, GAP and a 1000-way dense head.
    /// </summary>
    static Layer[] ImageNet(long[] c, long[] dims, long expand, long head) =>
    [
        Layer.ConvBn(3, 16, 3, 2, Padding.Same),
        Layer.InvertedResidual(16, c[0], expand, 1, 1),
        Layer.InvertedResidual(c[0], c[1], expand, 2, 3),
        Layer.InvertedResidual(c[1], c[2], expand, 2, 1),
        Layer.MobileVitBlock(c[2], dims[0], 4, 2 * dims[0], 2),
        Layer.InvertedResidual(c[2], c[3], expand, 2, 1),
        Layer.MobileVitBlock(c[3], dims[1], 4, 2 * dims[1], 4),
        Layer.InvertedResidual(c[3], c[4], expand, 2, 1),
        Layer.MobileVitBlock(c[4], dims[2], 4, 2 * dims[2], 3),
        Layer.Conv2d(c[4], head, 1, Padding.Same, Activation.Relu),
        Layer.GlobalAvgPool(),
        Layer.Dense(head, 1000, Activation.Identity),
    ];

    public static readonly BestiaryEntry MobileViTS = Family.Entry("mobileViTS", "MobileViT-S", 256, 256,
        Figure.Of("5.6M, equal to paper", book: "5.6M", paper: "5.6M"), ImageNet([32, 64, 96, 128, 160], [144, 192, 240], 4, 640));

    public static readonly BestiaryEntry MobileViTXS = Family.Entry("mobileViTXS", "MobileViT-XS", 256, 256,
        Figure.Of("2.3M", book: "2.3M"), ImageNet([32, 48, 64, 80, 96], [96, 120, 144], 4, 384));

    public static readonly BestiaryEntry MobileViTXXS = Family.Entry("mobileViTXXS", "MobileViT-XXS", 256, 256,
        Figure.Of("1.3M", book: "1.3M"), ImageNet([16, 24, 48, 64, 80], [64, 80, 96], 2, 320));

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
