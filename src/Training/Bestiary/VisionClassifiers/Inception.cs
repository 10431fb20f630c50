using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// Inception (Szegedy et al. 2014): parallel multi-scale branches concatenated along channels (inceptionModule,
/// definition 103).
/// </summary>
public static class Inception
{
    static readonly Family Family = new("Inception", Domain.VisionClassifiers, "Szegedy et al. 2014");

    /// <summary>The v3 stem v4 also uses here: three 3×3 convs, pool, 1×1 to 80, 3×3 to 192, pool.</summary>
    static readonly Layer[] Stem =
    [
        Layer.ConvBn(3, 32, 3, 2, Padding.Same),
        Layer.ConvBn(32, 32, 3, 1, Padding.Same),
        Layer.ConvBn(32, 64, 3, 1, Padding.Same),
        Layer.MaxPool(2, 2),
        Layer.ConvBn(64, 80, 1, 1, Padding.Same),
        Layer.ConvBn(80, 192, 3, 1, Padding.Same),
        Layer.MaxPool(2, 2),
    ];

    public static readonly BestiaryEntry GoogLeNet = Family.Entry("googLeNet", "GoogLeNet (Inception v1)", 224, 224,
        Figure.Of("7M, equal to paper", book: "7M", paper: "7M"),
        [
            Layer.ConvBn(3, 64, 7, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.ConvBn(64, 64, 1, 1, Padding.Same),
            Layer.ConvBn(64, 192, 3, 1, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.InceptionModule(192, 64, 96, 128, 16, 32, 32),
            Layer.InceptionModule(256, 128, 128, 192, 32, 96, 64),
            Layer.MaxPool(2, 2),
            Layer.InceptionModule(480, 192, 96, 208, 16, 48, 64),
            Layer.InceptionModule(512, 160, 112, 224, 24, 64, 64),
            Layer.InceptionModule(512, 128, 128, 256, 24, 64, 64),
            Layer.InceptionModule(512, 112, 144, 288, 32, 64, 64),
            Layer.InceptionModule(528, 256, 160, 320, 32, 128, 128),
            Layer.MaxPool(2, 2),
            Layer.InceptionModule(832, 256, 160, 320, 32, 128, 128),
            Layer.InceptionModule(832, 384, 192, 384, 48, 128, 128),
            Layer.GlobalAvgPool(),
            Layer.Dense(1024, 1000, Activation.Identity),
        ],
        note: "Auxiliary classifiers omitted.");

    public static readonly BestiaryEntry InceptionV3 = Family.Entry("inceptionV3", "Inception-v3 (bestiary approximation)", 299, 299,
        Figure.Of("23.8M; paper 23M", book: "23.8M", paper: "23M"),
        [
            .. Stem,
            Layer.InceptionModule(192, 64, 48, 64, 64, 96, 32),
            Layer.InceptionModule(256, 64, 48, 64, 64, 96, 64),
            Layer.InceptionModule(288, 64, 48, 64, 64, 96, 64),
            Layer.InceptionModule(288, 192, 128, 192, 128, 192, 192),
            .. Repeat.Times(3, Layer.InceptionModule(768, 192, 160, 192, 160, 192, 192)),
            Layer.InceptionModule(768, 192, 192, 192, 192, 192, 192),
            Layer.InceptionModule(768, 320, 384, 384, 448, 384, 192),
            Layer.InceptionModule(1280, 320, 384, 384, 448, 384, 192),
            Layer.GlobalAvgPool(),
            Layer.Dense(1280, 1000, Activation.Identity),
        ],
        note: "One unified inceptionModule approximates v3's module catalogue; asymmetric factorisations omitted.");

    public static readonly BestiaryEntry InceptionV4 = Family.Entry("inceptionV4", "Inception-v4 (bestiary approximation)", 299, 299,
        Figure.Of("33M; paper 42M (undercount acknowledged)", book: "33M", paper: "42M"),
        [
            .. Stem,
            Layer.InceptionModule(192, 96, 64, 96, 64, 96, 96),
            .. Repeat.Times(3, Layer.InceptionModule(384, 96, 64, 96, 64, 96, 96)),
            Layer.InceptionModule(384, 384, 192, 224, 192, 256, 128),
            .. Repeat.Times(6, Layer.InceptionModule(992, 384, 192, 224, 192, 256, 128)),
            Layer.InceptionModule(992, 256, 384, 256, 384, 256, 256),
            .. Repeat.Times(2, Layer.InceptionModule(1024, 256, 384, 256, 384, 256, 256)),
            Layer.GlobalAvgPool(),
            Layer.Dense(1024, 1000, Activation.Identity),
        ],
        note: "One unified inceptionModule approximates v4's richer module catalogue (undercounts the paper's 42M).");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [GoogLeNet, InceptionV3, InceptionV4];
}
