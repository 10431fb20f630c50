using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>DCGAN (Radford et al. 2015): noise projector, generator and discriminator as three specs.</summary>
public static class DcGan
{
    static readonly Family Family = new("DCGAN", Domain.ImageGeneration, "Radford et al. 2015");

    public static readonly BestiaryEntry DcganProjector = Family.Entry("dcganProjector", "DCGAN noise projector (100 → 4×4×1024)", 1, 1,
        Figure.Of("1.65M", book: "1.65M"),
        [Layer.Dense(100, 16384, Activation.Relu)],
        note: "The dense 100 → 4×4×1024 noise projection as its own spec.");

    public static readonly BestiaryEntry DcganGenerator = Family.Entry("dcganGenerator", "DCGAN generator (64×64 RGB)", 4, 4,
        Figure.Of("11M; paper ≈12M", book: "11M", paper: "≈12M"),
        [
            Layer.ConvBn(1024, 512, 4, 1, Padding.Same),
            Layer.ConvBn(512, 256, 4, 1, Padding.Same),
            Layer.ConvBn(256, 128, 4, 1, Padding.Same),
            Layer.ConvBn(128, 64, 4, 1, Padding.Same),
            Layer.Conv2d(64, 3, 4, Padding.Same, Activation.Identity),
        ],
        note: "Transposed convs approximated by standard convs of matching kernel and channels (same count; the spatial doubling is forward-pass only).");

    public static readonly BestiaryEntry DcganDiscriminator = Family.Entry("dcganDiscriminator", "DCGAN discriminator (64×64 RGB → 1)", 64, 64,
        Figure.Of("11M, equal to paper", book: "11M", paper: "11M"),
        [
            Layer.ConvBn(3, 128, 4, 2, Padding.Same),
            Layer.ConvBn(128, 256, 4, 2, Padding.Same),
            Layer.ConvBn(256, 512, 4, 2, Padding.Same),
            Layer.ConvBn(512, 1024, 4, 2, Padding.Same),
            Layer.Flatten(),
            Layer.Dense(16384, 1, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyDCGAN_G = Family.Entry("tinyDCGAN_G", "tiny-DCGAN generator (32×32)", 4, 4,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(128, 64, 4, 1, Padding.Same),
            Layer.ConvBn(64, 32, 4, 1, Padding.Same),
            Layer.ConvBn(32, 16, 4, 1, Padding.Same),
            Layer.Conv2d(16, 3, 4, Padding.Same, Activation.Identity),
        ],
        note: "Transposed convs approximated by standard convs of matching kernel and channels.");

    public static readonly BestiaryEntry TinyDCGAN_D = Family.Entry("tinyDCGAN_D", "tiny-DCGAN discriminator (32×32)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 4, 2, Padding.Same),
            Layer.ConvBn(32, 64, 4, 2, Padding.Same),
            Layer.ConvBn(64, 128, 4, 2, Padding.Same),
            Layer.Flatten(),
            Layer.Dense(2048, 1, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [DcganProjector, DcganGenerator, DcganDiscriminator, TinyDCGAN_G, TinyDCGAN_D];
}
