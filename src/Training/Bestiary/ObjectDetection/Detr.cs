using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ObjectDetection;

/// <summary>
/// DETR (Carion et al. 2020): ResNet backbone + transformer encoder/decoder + set-prediction heads (definitions 87,
/// 88).
/// </summary>
public static class Detr
{
    static readonly Family Family = new("DETR", Domain.ObjectDetection, "Carion et al. 2020",
        "patchEmbed with p = 1 absorbs DETR's 1×1 channel reduce (and its learned position table).");

    /// <summary>After the ResNet body: 1×1 reduce to 256 (as a p = 1 patch embedding over the 25×25 map), a 6 + 6 block
    /// encoder-decoder with 100 object queries, and the COCO heads (91 classes).</summary>
    static readonly Layer[] Transformer =
    [
        Layer.PatchEmbed(2048, 256, 1, 625),
        Layer.TransformerEncoder(256, 8, 2048, 6),
        Layer.TransformerDecoder(256, 8, 2048, 6, 100),
        Layer.DetrHeads(256, 91),
    ];

    public static readonly BestiaryEntry DetrR50 = Family.Entry("detrR50", "DETR-R50", 800, 800,
        Figure.Of("41M, equal to paper", book: "41M", paper: "41M"),
        [
            .. Backbones.ResNet(Backbones.ResNet50),
            .. Transformer,
        ]);

    public static readonly BestiaryEntry DetrR101 = Family.Entry("detrR101", "DETR-R101", 800, 800,
        Figure.Of("60M", book: "60M"),
        [
            .. Backbones.ResNet(Backbones.ResNet101),
            .. Transformer,
        ]);

    public static readonly BestiaryEntry TinyDETR = Family.Entry("tinyDETR", "tiny-DETR", 128, 128,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 7, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.BottleneckBlock(32, 64, 2, 1),
            Layer.BottleneckBlock(64, 128, 2, 2),
            Layer.PatchEmbed(128, 64, 1, 64),
            Layer.TransformerEncoder(64, 4, 256, 2),
            Layer.TransformerDecoder(64, 4, 256, 2, 20),
            Layer.DetrHeads(64, 20),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [DetrR50, DetrR101, TinyDETR];
}
