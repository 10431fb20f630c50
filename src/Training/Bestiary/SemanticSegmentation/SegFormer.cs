using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.SemanticSegmentation;

/// <summary>SegFormer (Xie et al. 2021): hierarchical transformer pyramid (MiT) + MLP decoder.</summary>
public static class SegFormer
{
    static readonly Family Family = new("SegFormer", Domain.SemanticSegmentation, "Xie et al. 2021",
        "MiT approximated by transformerEncoder + patchMerging: no depthwise convs in the FFN, no overlapping patch embeddings (≈25% "
            + "undercount).");

    /// <summary>The MiT pyramid: 4×4 patch embedding, then per stage a transformer (MLP 4× the width) with a patch merge between
    /// stages.</summary>
    static IEnumerable<Layer> MiT(long nPatches, long[] widths, long[] heads, long[] depths) =>
    [
        Layer.PatchEmbed(3, widths[0], 4, nPatches),
        .. Repeat.Stages(widths, i => Layer.TransformerEncoder(widths[i], heads[i], 4 * widths[i], depths[i]), Layer.PatchMerging),
    ];

    public static readonly BestiaryEntry SegformerB0 = Family.Entry("segformerB0", "SegFormer MiT-B0 encoder", 224, 224,
        Figure.Of("2.6M; paper 3.7M", book: "2.6M", paper: "3.7M"), [.. MiT(3136, [32, 64, 160, 256], [1, 2, 5, 8], [2, 2, 2, 2])]);

    public static readonly BestiaryEntry SegformerB2 = Family.Entry("segformerB2", "SegFormer MiT-B2 encoder", 224, 224,
        Figure.Of("19M; paper 25M", book: "19M", paper: "25M"), [.. MiT(3136, [64, 128, 320, 512], [1, 2, 5, 8], [3, 4, 6, 3])]);

    public static readonly BestiaryEntry SegformerB5 = Family.Entry("segformerB5", "SegFormer MiT-B5 encoder", 224, 224,
        Figure.Of("61M; paper 82M", book: "61M", paper: "82M"), [.. MiT(3136, [64, 128, 320, 512], [1, 2, 5, 8], [3, 6, 40, 3])]);

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
            .. MiT(256, [16, 32, 64], [1, 2, 4], [2, 2, 2]),
            Layer.Dense(64, 128, Activation.Identity),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SegformerB0, SegformerB2, SegformerB5, SegformerDecoder, TinySegFormer];
}
