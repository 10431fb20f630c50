using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>
/// StableDiffusion (Rombach et al. 2022): latent diffusion with text cross-attention, shown as six specs.
/// </summary>
public static class StableDiffusion
{
    static readonly Family Family = new("StableDiffusion", Domain.ImageGeneration, "Rombach et al. 2022");

    public static readonly BestiaryEntry SdVAEEncoder = Family.Entry("sdVAEEncoder", "SD VAE encoder (image → latent)", 512, 512,
        Figure.NotQuoted("not quoted (file comment: real SD VAE encoder ≈34M)"),
        [
            Layer.ConvBn(3, 128, 3, 1, Padding.Same),
            Layer.ConvBn(128, 128, 3, 2, Padding.Same),
            Layer.ConvBn(128, 256, 3, 1, Padding.Same),
            Layer.ConvBn(256, 256, 3, 2, Padding.Same),
            Layer.ConvBn(256, 512, 3, 1, Padding.Same),
            Layer.ConvBn(512, 512, 3, 2, Padding.Same),
            Layer.ConvBn(512, 512, 3, 1, Padding.Same),
            Layer.Conv2d(512, 8, 3, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry SdVAEDecoder = Family.Entry("sdVAEDecoder", "SD VAE decoder (latent → image)", 64, 64,
        Figure.NotQuoted("not quoted (file comment: real ≈50M)"),
        [
            Layer.Conv2d(4, 512, 3, Padding.Same, Activation.Identity),
            Layer.ConvBn(512, 512, 3, 1, Padding.Same),
            Layer.UnetUp(512, 256),
            Layer.ConvBn(256, 256, 3, 1, Padding.Same),
            Layer.UnetUp(256, 128),
            Layer.ConvBn(128, 128, 3, 1, Padding.Same),
            Layer.UnetUp(128, 128),
            Layer.ConvBn(128, 128, 3, 1, Padding.Same),
            Layer.Conv2d(128, 3, 3, Padding.Same, Activation.Identity),
        ],
        note: "Upsampling written with unetUp stages (no encoder skips to pair with).");

    public static readonly BestiaryEntry SdTextEncoder = Family.Entry("sdTextEncoder", "SD text encoder (CLIP ViT-L/14 text tower)", 77, 1,
        Figure.Of("123M, equals CLIP ViT-L/14 text tower", book: "123M"),
        [Layer.Dense(49408, 768, Activation.Identity), Layer.TransformerEncoder(768, 12, 3072, 12)],
        note: "dense vocab→dim stands in for the token-embedding table.");

    public static readonly BestiaryEntry SdUNet15 = Family.Entry("sdUNet15", "SD 1.5 UNet denoiser (backbone approx)", 64, 64,
        Figure.Of("202M backbone approximation; real SD-1.5 UNet 865M", book: "202M"),
        [
            Layer.Conv2d(4, 320, 3, Padding.Same, Activation.Identity),
            Layer.UnetDown(320, 640),
            Layer.UnetDown(640, 1280),
            Layer.UnetDown(1280, 1280),
            .. Repeat.Times(2, Layer.ConvBn(1280, 1280, 3, 1, Padding.Same)),
            .. Repeat.Times(2, Layer.UnetUp(1280, 1280)),
            Layer.UnetUp(1280, 640),
            Layer.Conv2d(640, 4, 3, Padding.Same, Activation.Identity),
        ],
        note: "Backbone approximation: the interleaved cross-attention blocks (most of the real 865M) are omitted.");

    public static readonly BestiaryEntry SdSpatialTransformerBlock = Family.Entry("sdSpatialTransformerBlock", "SD spatial transformer block (1280-dim, 1 layer)", 64, 1,
        Figure.NotQuoted(),
        [Layer.TransformerDecoder(1280, 8, 5120, 1, 0)],
        note: "transformerDecoder with nQueries = 0: self-attention + cross-attention to text + FFN.");

    public static readonly BestiaryEntry TinyStableDiffusion = Family.Entry("tinyStableDiffusion", "tiny-StableDiffusion (UNet + spatial transformer)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(4, 64, 3, Padding.Same, Activation.Identity),
            Layer.UnetDown(64, 128),
            Layer.UnetDown(128, 256),
            Layer.TransformerDecoder(256, 4, 1024, 1, 0),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.Conv2d(64, 4, 3, Padding.Same, Activation.Identity),
        ],
        note: "UNet skips implicit; one spatial transformer (transformerDecoder, nQueries = 0) at the bottom.");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        SdVAEEncoder, SdVAEDecoder, SdTextEncoder, SdUNet15, SdSpatialTransformerBlock, TinyStableDiffusion];
}
