using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>Pix2Pix (Isola et al. 2017): UNet generator + PatchGAN discriminator.</summary>
public static class Pix2Pix
{
    static readonly Family Family = new("Pix2Pix", Domain.ImageGeneration, "Isola et al. 2017");

    public static readonly BestiaryEntry Pix2pixGenerator = Family.Entry("pix2pixGenerator", "Pix2Pix generator (8-level UNet, 256×256 RGB)", 256, 256,
        Figure.Of("≈70M (overcount); paper ≈54M", book: "≈70M", paper: "≈54M"),
        [
            Layer.UnetDown(3, 64),
            Layer.UnetDown(64, 128),
            Layer.UnetDown(128, 256),
            Layer.UnetDown(256, 512),
            .. Repeat.Times(4, Layer.UnetDown(512, 512)),
            .. Repeat.Times(5, Layer.UnetUp(512, 512)),
            Layer.UnetUp(512, 256),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.Conv2d(64, 3, 1, Padding.Same, Activation.Identity),
        ],
        note: "unetDown/unetUp use two convs per level where Pix2Pix uses one strided conv: an overcount.");

    public static readonly BestiaryEntry Pix2pixDiscriminator = Family.Entry("pix2pixDiscriminator", "Pix2Pix PatchGAN discriminator (256×256 → N×N grid)", 256, 256,
        Figure.Of("2.8M", book: "2.8M"),
        Backbones.PatchGan([64, 128, 256, 512]));

    public static readonly BestiaryEntry TinyPix2Pix_G = Family.Entry("tinyPix2Pix_G", "tiny-Pix2Pix generator (4-level UNet, 64×64)", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.UnetDown(3, 16),
            Layer.UnetDown(16, 32),
            Layer.UnetDown(32, 64),
            Layer.UnetDown(64, 64),
            Layer.UnetUp(64, 64),
            Layer.UnetUp(64, 32),
            Layer.UnetUp(32, 16),
            Layer.UnetUp(16, 3),
            Layer.Conv2d(3, 3, 1, Padding.Same, Activation.Identity),
        ],
        note: "unetDown/unetUp use two convs per level where Pix2Pix uses one strided conv.");

    public static readonly BestiaryEntry TinyPix2Pix_D = Family.Entry("tinyPix2Pix_D", "tiny-Pix2Pix discriminator", 64, 64,
        Figure.NotQuoted(),
        Backbones.PatchGan([16, 32, 64]));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Pix2pixGenerator, Pix2pixDiscriminator, TinyPix2Pix_G, TinyPix2Pix_D];
}
