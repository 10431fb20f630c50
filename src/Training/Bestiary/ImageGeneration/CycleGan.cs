using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>
/// CycleGAN (Zhu et al. 2017): ResNet generator + PatchGAN discriminator; F and D_X are identical copies.
/// </summary>
public static class CycleGan
{
    static readonly Family Family = new("CycleGAN", Domain.ImageGeneration, "Zhu et al. 2017");

    /// <summary>
    /// Johnson-style ResNet generator of base width c: 7×7 stem, two stride-2 convs to 4c, n residual blocks, two convs
    /// back to c (stride-1 stand-ins for the transposed convs), a 7×7 conv to RGB.
    /// </summary>
    static Layer[] Generator(long c, long blocks) =>
    [
        Layer.ConvBn(3, c, 7, 1, Padding.Same),
        Layer.ConvBn(c, 2 * c, 3, 2, Padding.Same),
        Layer.ConvBn(2 * c, 4 * c, 3, 2, Padding.Same),
        Layer.ResidualBlock(4 * c, 4 * c, blocks, 1),
        Layer.ConvBn(4 * c, 2 * c, 3, 1, Padding.Same),
        Layer.ConvBn(2 * c, c, 3, 1, Padding.Same),
        Layer.Conv2d(c, 3, 7, Padding.Same, Activation.Identity),
    ];

    public static readonly BestiaryEntry CycleganGenerator = Family.Entry("cycleganGenerator", "CycleGAN generator (9-block ResNet, 256×256 RGB)", 256, 256,
        Figure.Of("11.4M; paper ≈11M", book: "11.4M", paper: "≈11M"),
        Generator(64, 9),
        note: "Upsampling transposed convs replaced by stride-1 convBn stand-ins.");

    public static readonly BestiaryEntry CycleganDiscriminator = Family.Entry("cycleganDiscriminator", "CycleGAN PatchGAN discriminator (256×256 RGB → N×N grid)", 256, 256,
        Figure.Of("2.8M; paper ≈2.8M", book: "2.8M", paper: "≈2.8M"),
        Backbones.PatchGan([64, 128, 256, 512]));

    public static readonly BestiaryEntry TinyCycleGAN_G = Family.Entry("tinyCycleGAN_G", "tiny-CycleGAN generator", 64, 64,
        Figure.NotQuoted(),
        Generator(16, 3),
        note: "Upsampling transposed convs replaced by stride-1 convBn stand-ins.");

    public static readonly BestiaryEntry TinyCycleGAN_D = Family.Entry("tinyCycleGAN_D", "tiny-CycleGAN discriminator", 64, 64,
        Figure.NotQuoted(),
        Backbones.PatchGan([16, 32, 64]));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [CycleganGenerator, CycleganDiscriminator, TinyCycleGAN_G, TinyCycleGAN_D];
}
