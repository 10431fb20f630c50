using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>DCGAN (Radford et al. 2015): noise projector, generator and discriminator as three specs.</summary>
public static class DcGan
{
    static readonly Family Family = new("DCGAN", Domain.ImageGeneration, "Radford et al. 2015");

    /// <summary>4×4 convBn stages from the projected noise down the widths (stand-ins for the transposed convs), a 4×4 conv to
    /// RGB.</summary>
    static Layer[] Generator(long ic, long[] widths) =>
    [
        .. Repeat.Chain(ic, widths, (a, b, _) => Layer.ConvBn(a, b, 4, 1, Padding.Same)),
        Layer.Conv2d(widths[^1], 3, 4, Padding.Same, Activation.Identity),
    ];

    /// <summary>Strided 4×4 convBn stages from RGB up the widths down to a 4×4 map, flattened into one real/fake logit.</summary>
    static Layer[] Discriminator(long[] widths) =>
    [
        .. Repeat.Chain(3, widths, (a, b, _) => Layer.ConvBn(a, b, 4, 2, Padding.Same)),
        Layer.Flatten(),
        Layer.Dense(widths[^1] * 4 * 4, 1, Activation.Identity),
    ];

    public static readonly BestiaryEntry DcganProjector = Family.Entry("dcganProjector", "DCGAN noise projector (100 → 4×4×1024)", 1, 1,
        Figure.Of("1.65M", book: "1.65M"),
        [Layer.Dense(100, 16384, Activation.Relu)],
        note: "The dense 100 → 4×4×1024 noise projection as its own spec.");

    public static readonly BestiaryEntry DcganGenerator = Family.Entry("dcganGenerator", "DCGAN generator (64×64 RGB)", 4, 4,
        Figure.Of("11M; paper ≈12M", book: "11M", paper: "≈12M"),
        Generator(1024, [512, 256, 128, 64]),
        note: "Transposed convs approximated by standard convs of matching kernel and channels (same count; the "
            + "spatial doubling is forward-pass only).");

    public static readonly BestiaryEntry DcganDiscriminator = Family.Entry("dcganDiscriminator", "DCGAN discriminator (64×64 RGB → 1)", 64, 64,
        Figure.Of("11M, equal to paper", book: "11M", paper: "11M"),
        Discriminator([128, 256, 512, 1024]));

    public static readonly BestiaryEntry TinyDCGAN_G = Family.Entry("tinyDCGAN_G", "tiny-DCGAN generator (32×32)", 4, 4,
        Figure.NotQuoted(),
        Generator(128, [64, 32, 16]),
        note: "Transposed convs approximated by standard convs of matching kernel and channels.");

    public static readonly BestiaryEntry TinyDCGAN_D = Family.Entry("tinyDCGAN_D", "tiny-DCGAN discriminator (32×32)", 32, 32,
        Figure.NotQuoted(),
        Discriminator([32, 64, 128]));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        DcganProjector, DcganGenerator, DcganDiscriminator, TinyDCGAN_G, TinyDCGAN_D];
}
