using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ImageGeneration;

/// <summary>
/// VAE (Kingma &amp; Welling 2013): encoder to (μ, log σ²) as one doubled-width tensor, decoder back; sampling and
/// KL live in training code.
/// </summary>
public static class Vae
{
    static readonly Family Family = new("VAE", Domain.ImageGeneration, "Kingma & Welling 2013");

    public static readonly BestiaryEntry MnistVAEEncoder = Family.Entry("mnistVAEEncoder", "MNIST VAE encoder (MLP, 20-dim latent)", 28, 28,
        Figure.NotQuoted(),
        [Layer.Flatten(), Layer.Dense(784, 400, Activation.Relu), Layer.Dense(400, 40, Activation.Identity)],
        note: "Final width 40 = (μ, log σ²) for a 20-dim latent.");

    public static readonly BestiaryEntry MnistVAEDecoder = Family.Entry("mnistVAEDecoder", "MNIST VAE decoder (MLP, 20-dim latent)", 20, 1,
        Figure.NotQuoted(),
        [Layer.Dense(20, 400, Activation.Relu), Layer.Dense(400, 784, Activation.Identity)]);

    public static readonly BestiaryEntry CifarVAEEncoder = Family.Entry("cifarVAEEncoder", "CIFAR VAE encoder (conv, 4×4×4 spatial latent)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 64, 3, 2, Padding.Same),
            Layer.ConvBn(64, 128, 3, 2, Padding.Same),
            Layer.ConvBn(128, 256, 3, 2, Padding.Same),
            Layer.ConvBn(256, 256, 3, 1, Padding.Same),
            Layer.Conv2d(256, 8, 1, Padding.Same, Activation.Identity),
        ],
        note: "Final 8 channels = (μ, log σ²) for a 4-channel latent.");

    public static readonly BestiaryEntry CifarVAEDecoder = Family.Entry("cifarVAEDecoder", "CIFAR VAE decoder (conv, 4×4×4 spatial latent)", 4, 4,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(4, 256, 1, Padding.Same, Activation.Identity),
            Layer.ConvBn(256, 256, 3, 1, Padding.Same),
            Layer.UnetUp(256, 128),
            Layer.UnetUp(128, 64),
            Layer.UnetUp(64, 32),
            Layer.Conv2d(32, 3, 3, Padding.Same, Activation.Identity),
        ],
        note: "Upsampling written with unetUp stages (no encoder skips to pair with).");

    public static readonly BestiaryEntry TinyVAEEncoder = Family.Entry("tinyVAEEncoder", "tiny-VAE encoder (4×4×2 spatial latent)", 16, 16,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(1, 8, 3, 2, Padding.Same),
            Layer.ConvBn(8, 16, 3, 2, Padding.Same),
            Layer.Conv2d(16, 4, 1, Padding.Same, Activation.Identity),
        ],
        note: "Final 4 channels = (μ, log σ²) for a 2-channel latent.");

    public static readonly BestiaryEntry TinyVAEDecoder = Family.Entry("tinyVAEDecoder", "tiny-VAE decoder (4×4×2 spatial latent)", 4, 4,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(2, 16, 1, Padding.Same, Activation.Identity),
            Layer.UnetUp(16, 8),
            Layer.UnetUp(8, 4),
            Layer.Conv2d(4, 1, 3, Padding.Same, Activation.Identity),
        ],
        note: "Upsampling written with unetUp stages (no encoder skips to pair with).");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        MnistVAEEncoder, MnistVAEDecoder, CifarVAEEncoder, CifarVAEDecoder, TinyVAEEncoder, TinyVAEDecoder];
}
