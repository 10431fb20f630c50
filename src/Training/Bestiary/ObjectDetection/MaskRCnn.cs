using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ObjectDetection;

/// <summary>MaskRCNN (He et al. 2017): two-stage detector with instance masks, shown as one spec per part.</summary>
public static class MaskRCnn
{
    static readonly Family Family = new("MaskRCNN", Domain.ObjectDetection, "He et al. 2017",
        "Decomposed into four specs (backbone+FPN, RPN, box head, mask head); ROI-Align is orchestration, not a layer.");

    public static readonly BestiaryEntry MaskRCNNBackboneR101 = Family.Entry("maskRCNNBackboneR101", "Mask R-CNN backbone (ResNet-101-FPN)", 800, 800,
        Figure.Of("45.8M (book: all four parts ≈63M, matching paper)", book: "45.8M"),
        [
            .. Backbones.ResNet(Backbones.ResNet101, poolSize: 3),
            Layer.FpnModule(256, 512, 1024, 2048, 256),
        ],
        note: "Part 1 of 4. FPN's top-down cross-scale adds do not fit a linear list, so fpnModule bundles them.");

    public static readonly BestiaryEntry MaskRCNNRPN = Family.Entry("maskRCNNRPN", "Mask R-CNN RPN (shared across pyramid levels)", 50, 50,
        Figure.Of("0.6M", book: "0.6M"),
        [
            Layer.Conv2d(256, 256, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 6, 1, Padding.Same, Activation.Identity),
            Layer.Conv2d(6, 12, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry MaskRCNNBoxHead = Family.Entry("maskRCNNBoxHead", "Mask R-CNN box head (FC 1024 → 1024, COCO 80 classes)", 7, 7,
        Figure.Of("14.3M", book: "14.3M"),
        [
            Layer.Flatten(),
            Layer.Dense(12544, 1024, Activation.Relu),
            Layer.Dense(1024, 1024, Activation.Relu),
            Layer.Dense(1024, 401, Activation.Identity),
        ]);

    public static readonly BestiaryEntry MaskRCNNMaskHead = Family.Entry("maskRCNNMaskHead", "Mask R-CNN mask head (COCO 80 classes, 28×28 masks)", 14, 14,
        Figure.Of("2.6M", book: "2.6M"),
        [
            .. Repeat.Times(4, Layer.Conv2d(256, 256, 3, Padding.Same, Activation.Relu)),
            Layer.Conv2d(256, 256, 2, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 80, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyMaskRCNN = Family.Entry("tinyMaskRCNN", "tiny-MaskRCNN", 128, 128,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 3, 2, Padding.Same),
            Layer.BottleneckBlock(32, 64, 2, 2),
            Layer.BottleneckBlock(64, 128, 2, 2),
            Layer.BottleneckBlock(128, 256, 2, 2),
            Layer.BottleneckBlock(256, 512, 2, 2),
            Layer.FpnModule(64, 128, 256, 512, 128),
        ],
        note: "FPN's top-down cross-scale adds do not fit a linear list, so fpnModule bundles them.");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        MaskRCNNBackboneR101, MaskRCNNRPN, MaskRCNNBoxHead, MaskRCNNMaskHead, TinyMaskRCNN];
}
