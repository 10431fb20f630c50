using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>SegFormer (Xie et al. 2021): hierarchical transformer pyramid (MiT) + MLP decoder.</summary>
public static class SegFormer
{
    static readonly Family Family = new("SegFormer", Domain.SemanticSegmentation, "Xie et al. 2021", "MiT approximated by transformerEncoder + patchMerging: no depthwise convs in the FFN, no overlapping patch embeddings (≈25% undercount).");

    public static readonly BestiaryEntry SegformerB0 = Family.Entry("segformerB0", "SegFormer MiT-B0 encoder", 224, 224,
        Figure.Of("2.6M; paper 3.7M", book: "2.6M", paper: "3.7M"),
        [
            Layer.PatchEmbed(3, 32, 4, 3136),
            Layer.TransformerEncoder(32, 1, 128, 2),
            Layer.PatchMerging(32, 64),
            Layer.TransformerEncoder(64, 2, 256, 2),
            Layer.PatchMerging(64, 160),
            Layer.TransformerEncoder(160, 5, 640, 2),
            Layer.PatchMerging(160, 256),
            Layer.TransformerEncoder(256, 8, 1024, 2),
        ]);

    public static readonly BestiaryEntry SegformerB2 = Family.Entry("segformerB2", "SegFormer MiT-B2 encoder", 224, 224,
        Figure.Of("19M; paper 25M", book: "19M", paper: "25M"),
        [
            Layer.PatchEmbed(3, 64, 4, 3136),
            Layer.TransformerEncoder(64, 1, 256, 3),
            Layer.PatchMerging(64, 128),
            Layer.TransformerEncoder(128, 2, 512, 4),
            Layer.PatchMerging(128, 320),
            Layer.TransformerEncoder(320, 5, 1280, 6),
            Layer.PatchMerging(320, 512),
            Layer.TransformerEncoder(512, 8, 2048, 3),
        ]);

    public static readonly BestiaryEntry SegformerB5 = Family.Entry("segformerB5", "SegFormer MiT-B5 encoder", 224, 224,
        Figure.Of("61M; paper 82M", book: "61M", paper: "82M"),
        [
            Layer.PatchEmbed(3, 64, 4, 3136),
            Layer.TransformerEncoder(64, 1, 256, 3),
            Layer.PatchMerging(64, 128),
            Layer.TransformerEncoder(128, 2, 512, 6),
            Layer.PatchMerging(128, 320),
            Layer.TransformerEncoder(320, 5, 1280, 40),
            Layer.PatchMerging(320, 512),
            Layer.TransformerEncoder(512, 8, 2048, 3),
        ]);

    public static readonly BestiaryEntry SegformerDecoder = Family.Entry("segformerDecoder", "SegFormer MLP decoder (single-scale approx at B2 widths)", 7, 7,
        Figure.Of("1M (single-scale approximation)", book: "1M"),
        [
            Layer.Dense(512, 768, Activation.Identity),
            Layer.Dense(768, 768, Activation.Identity),
            Layer.Dense(768, 150, Activation.Identity),
        ],
        note: "Single-scale approximation at B2 widths.");

    public static readonly BestiaryEntry TinySegFormer = Family.Entry("tinySegFormer", "tiny-SegFormer", 64, 64,
        Figure.NotQuoted(),
        [
            Layer.PatchEmbed(3, 16, 4, 256),
            Layer.TransformerEncoder(16, 1, 64, 2),
            Layer.PatchMerging(16, 32),
            Layer.TransformerEncoder(32, 2, 128, 2),
            Layer.PatchMerging(32, 64),
            Layer.TransformerEncoder(64, 4, 256, 2),
            Layer.Dense(64, 128, Activation.Identity),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SegformerB0, SegformerB2, SegformerB5, SegformerDecoder, TinySegFormer];
}
