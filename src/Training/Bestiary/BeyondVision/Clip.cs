using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>CLIP (Radford et al. 2021): an image encoder and a text encoder glued by a contrastive loss.</summary>
public static class Clip
{
    static readonly Family Family = new("CLIP", Domain.BeyondVision, "Radford et al. 2021",
        "Image and text towers are separate specs; the book's totals are image + text sums.");

    public static readonly BestiaryEntry ClipRN50ImageEncoder = Family.Entry("clipRN50ImageEncoder", "CLIP-RN50 (image encoder)", 224, 224,
        Figure.NotQuoted(),
        [
            .. Backbones.ResNet(Backbones.ResNet50),
            Layer.GlobalAvgPool(),
            Layer.Dense(2048, 1024, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ClipTextEncoder = Family.Entry("clipTextEncoder", "CLIP (text encoder)", 77, 1,
        Figure.NotQuoted("part of ViT-B/32 total 151M (= image 87.8M + this 63.4M), equal to paper"),
        [
            Layer.Dense(49408, 512, Activation.Identity),
            Layer.TransformerEncoder(512, 8, 2048, 12),
            Layer.Dense(512, 512, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ClipViTB32ImageEncoder = Family.Entry("clipViTB32ImageEncoder", "CLIP-ViT-B/32 (image encoder)", 224, 224,
        Figure.NotQuoted("part of 151M total, equal to paper"),
        [
            Layer.PatchEmbed(3, 768, 32, 49),
            Layer.TransformerEncoder(768, 12, 3072, 12),
            Layer.Dense(768, 512, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ClipViTL14ImageEncoder = Family.Entry("clipViTL14ImageEncoder", "CLIP-ViT-L/14 (image encoder)", 224, 224,
        Figure.NotQuoted("part of 427M total (= 304.0M + 123.6M), equal to paper"),
        [
            Layer.PatchEmbed(3, 1024, 14, 256),
            Layer.TransformerEncoder(1024, 16, 4096, 24),
            Layer.Dense(1024, 768, Activation.Identity),
        ]);

    public static readonly BestiaryEntry ClipViTL14TextEncoder = Family.Entry("clipViTL14TextEncoder", "CLIP-ViT-L/14 (text encoder)", 77, 1,
        Figure.NotQuoted("part of 427M total, equal to paper"),
        [
            Layer.Dense(49408, 768, Activation.Identity),
            Layer.TransformerEncoder(768, 12, 3072, 12),
            Layer.Dense(768, 768, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyCLIPImageEncoder = Family.Entry("tinyCLIPImageEncoder", "tiny-CLIP (image encoder)", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 3, 2, Padding.Same),
            Layer.ResidualBlock(32, 64, 2, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(64, 128, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyCLIPTextEncoder = Family.Entry("tinyCLIPTextEncoder", "tiny-CLIP (text encoder)", 32, 1,
        Figure.NotQuoted(),
        [
            Layer.Dense(1000, 64, Activation.Identity),
            Layer.TransformerEncoder(64, 4, 256, 4),
            Layer.Dense(64, 128, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        ClipRN50ImageEncoder, ClipTextEncoder, ClipViTB32ImageEncoder, ClipViTL14ImageEncoder, ClipViTL14TextEncoder, TinyCLIPImageEncoder,
        TinyCLIPTextEncoder];
}
