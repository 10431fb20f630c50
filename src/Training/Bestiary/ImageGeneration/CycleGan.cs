using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>CycleGAN (Zhu et al. 2017): ResNet generator + PatchGAN discriminator; F and D_X are identical copies.</summary>
public static class CycleGan
{
    static readonly Family Family = new("CycleGAN", Domain.ImageGeneration, "Zhu et al. 2017");

    public static readonly BestiaryEntry CycleganGenerator = Family.Entry("cycleganGenerator", "CycleGAN generator (9-block ResNet, 256×256 RGB)", 256, 256,
        Figure.Of("11.4M; paper ≈11M", book: "11.4M", paper: "≈11M"),
        [
            Layer.ConvBn(3, 64, 7, 1, Padding.Same),
            Layer.ConvBn(64, 128, 3, 2, Padding.Same),
            Layer.ConvBn(128, 256, 3, 2, Padding.Same),
            Layer.ResidualBlock(256, 256, 9, 1),
            Layer.ConvBn(256, 128, 3, 1, Padding.Same),
            Layer.ConvBn(128, 64, 3, 1, Padding.Same),
            Layer.Conv2d(64, 3, 7, Padding.Same, Activation.Identity),
        ],
        note: "Upsampling transposed convs replaced by stride-1 convBn stand-ins.");

    public static readonly BestiaryEntry CycleganDiscriminator = Family.Entry("cycleganDiscriminator", "CycleGAN PatchGAN discriminator (256×256 RGB → N×N grid)", 256, 256,
        Figure.Of("2.8M; paper ≈2.8M", book: "2.8M", paper: "≈2.8M"),
        [
            Layer.ConvBn(3, 64, 4, 2, Padding.Same),
            Layer.ConvBn(64, 128, 4, 2, Padding.Same),
            Layer.ConvBn(128, 256, 4, 2, Padding.Same),
            Layer.ConvBn(256, 512, 4, 1, Padding.Same),
            Layer.Conv2d(512, 1, 4, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyCycleGAN_G = Family.Entry("tinyCycleGAN_G", "tiny-CycleGAN generator", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 7, 1, Padding.Same),
            Layer.ConvBn(16, 32, 3, 2, Padding.Same),
            Layer.ConvBn(32, 64, 3, 2, Padding.Same),
            Layer.ResidualBlock(64, 64, 3, 1),
            Layer.ConvBn(64, 32, 3, 1, Padding.Same),
            Layer.ConvBn(32, 16, 3, 1, Padding.Same),
            Layer.Conv2d(16, 3, 7, Padding.Same, Activation.Identity),
        ],
        note: "Upsampling transposed convs replaced by stride-1 convBn stand-ins.");

    public static readonly BestiaryEntry TinyCycleGAN_D = Family.Entry("tinyCycleGAN_D", "tiny-CycleGAN discriminator", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 4, 2, Padding.Same),
            Layer.ConvBn(16, 32, 4, 2, Padding.Same),
            Layer.ConvBn(32, 64, 4, 1, Padding.Same),
            Layer.Conv2d(64, 1, 4, Padding.Same, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [CycleganGenerator, CycleganDiscriminator, TinyCycleGAN_G, TinyCycleGAN_D];
}
