using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>SAM (Kirillov et al. 2023): ViT image encoder + small transformer mask decoder.</summary>
public static class Sam
{
    static readonly Family Family = new("SAM", Domain.SemanticSegmentation, "Kirillov et al. 2023",
        "Decomposed: image encoder and mask decoder are separate specs; the prompt encoder is not specced.");

    public static readonly BestiaryEntry SamEncoderB = Family.Entry("samEncoderB", "SAM ViT-B image encoder", 1024, 1024,
        Figure.Of("88M; paper total (all parts) 91M", book: "88M"),
        [Layer.PatchEmbed(3, 768, 16, 4096), Layer.TransformerEncoder(768, 12, 3072, 12)]);

    public static readonly BestiaryEntry SamEncoderL = Family.Entry("samEncoderL", "SAM ViT-L image encoder", 1024, 1024,
        Figure.Of("307M; paper 308M", book: "307M", paper: "308M"),
        [Layer.PatchEmbed(3, 1024, 16, 4096), Layer.TransformerEncoder(1024, 16, 4096, 24)]);

    public static readonly BestiaryEntry SamEncoderH = Family.Entry("samEncoderH", "SAM ViT-H image encoder", 1024, 1024,
        Figure.Of("635M; paper 636M", book: "635M", paper: "636M"),
        [Layer.PatchEmbed(3, 1280, 16, 4096), Layer.TransformerEncoder(1280, 16, 5120, 32)]);

    public static readonly BestiaryEntry SamMaskDecoder = Family.Entry("samMaskDecoder", "SAM mask decoder (shared)", 64, 64,
        Figure.Of("3.3M", book: "3.3M"),
        [
            Layer.TransformerDecoder(256, 8, 2048, 2, 4),
            .. Repeat.Times(2, Layer.Dense(256, 256, Activation.Identity)),
        ],
        note: "transformerDecoder with 4 learned output queries, 2 blocks.");

    public static readonly BestiaryEntry TinySam = Family.Entry("tinySam", "tiny-SAM", 256, 256,
        Figure.NotQuoted(),
        [Layer.PatchEmbed(3, 128, 16, 256), Layer.TransformerEncoder(128, 4, 512, 4)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SamEncoderB, SamEncoderL, SamEncoderH, SamMaskDecoder, TinySam];
}
