using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>
/// Diffusion (Ho et al. 2020): DDPM's denoiser is a UNet; everything 'diffusion' lives in the training loop.
/// </summary>
public static class Diffusion
{
    static readonly Family Family = new("Diffusion", Domain.ImageGeneration, "Ho et al. 2020");

    public static readonly BestiaryEntry DdpmCifar = Family.Entry("ddpmCifar", "DDPM (CIFAR-10, backbone approx)", 32, 32,
        Figure.NotQuoted("not quoted (book: undercounts paper; file comment: paper 35.7M)"),
        [
            Layer.UnetDown(3, 128),
            Layer.UnetDown(128, 256),
            Layer.UnetDown(256, 256),
            .. Repeat.Times(2, Layer.ConvBn(256, 256, 3, 1, Padding.Same)),
            .. Repeat.Times(2, Layer.UnetUp(256, 256)),
            Layer.UnetUp(256, 128),
            Layer.Conv2d(128, 3, 1, Padding.Same, Activation.Identity),
        ],
        note: "Simplified UNet backbone: no residual blocks, GroupNorm, low-res attention or per-block time "
            + "projection (undercounts the paper).");

    public static readonly BestiaryEntry DdpmHires = Family.Entry("ddpmHires", "DDPM (256×256, backbone approx)", 256, 256,
        Figure.NotQuoted("not quoted (file comment: paper ≈550M)"),
        [
            Layer.UnetDown(3, 128),
            Layer.UnetDown(128, 128),
            Layer.UnetDown(128, 256),
            Layer.UnetDown(256, 256),
            Layer.UnetDown(256, 512),
            .. Repeat.Times(2, Layer.ConvBn(512, 512, 3, 1, Padding.Same)),
            Layer.UnetUp(512, 512),
            Layer.UnetUp(512, 256),
            Layer.UnetUp(256, 256),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 128),
            Layer.Conv2d(128, 3, 1, Padding.Same, Activation.Identity),
        ],
        note: "Simplified UNet backbone: no residual blocks, GroupNorm, low-res attention or per-block time "
            + "projection (undercounts the paper).");

    public static readonly BestiaryEntry TinyDdpm = Family.Entry("tinyDdpm", "tiny-DDPM", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.UnetDown(3, 32),
            Layer.UnetDown(32, 64),
            Layer.ConvBn(64, 64, 3, 1, Padding.Same),
            Layer.UnetUp(64, 64),
            Layer.UnetUp(64, 32),
            Layer.Conv2d(32, 3, 1, Padding.Same, Activation.Identity),
        ],
        note: "Simplified UNet backbone; skips implicit as in UNet.");

    public static readonly BestiaryEntry DdpmTimeEmbed = Family.Entry("ddpmTimeEmbed", "DDPM timestep-embedding MLP", 1, 1,
        Figure.NotQuoted(),
        [
            Layer.PositionalEncoding(1, 64),
            Layer.Dense(128, 512, Activation.Identity),
            Layer.Dense(512, 512, Activation.Identity),
        ],
        note: "The sinusoidal → dense → dense timestep-conditioning MLP shown standalone.");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [DdpmCifar, DdpmHires, TinyDdpm, DdpmTimeEmbed];
}
