using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ObjectDetection;

/// <summary>
/// YOLO (Redmon et al. 2016 (v1), Redmon &amp; Farhadi 2018 (v3)): v1 is conv + pool + dense; v3 adds darknetBlock
/// (definition 99), v5/v8/v11 cspBlock (definition 100).
/// </summary>
public static class Yolo
{
    static readonly Family Family = new("YOLO", Domain.ObjectDetection, "Redmon et al. 2016 (v1), Redmon & Farhadi 2018 (v3)");

    public static readonly BestiaryEntry YoloV1 = Family.Entry("yolo", "YOLOv1 (Redmon 2016)", 448, 448,
        Figure.Of("271M, equal to paper", book: "271M", paper: "271M"),
        [
            Layer.Conv2d(3, 64, 7, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(64, 192, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(192, 128, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(128, 256, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 512, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            .. Repeat.Times(
                4, Layer.Conv2d(512, 256, 1, Padding.Same, Activation.Relu), Layer.Conv2d(256, 512, 3, Padding.Same, Activation.Relu)),
            Layer.Conv2d(512, 512, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(512, 1024, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            .. Repeat.Times(
                2, Layer.Conv2d(1024, 512, 1, Padding.Same, Activation.Relu), Layer.Conv2d(512, 1024, 3, Padding.Same, Activation.Relu)),
            .. Repeat.Times(4, Layer.Conv2d(1024, 1024, 3, Padding.Same, Activation.Relu)),
            Layer.Flatten(),
            Layer.Dense(50176, 4096, Activation.Relu),
            Layer.Dense(4096, 1470, Activation.Identity),
        ],
        note: "The YOLO-ness lives in the loss and the output reshape, not the layers.");

    public static readonly BestiaryEntry FastYolo = Family.Entry("fastYolo", "Fast YOLOv1", 448, 448,
        Figure.NotQuoted("not quoted (file prose says ~163M; the spec gives 66.6M)"),
        [
            Layer.Conv2d(3, 16, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(16, 32, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(32, 64, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(64, 128, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(128, 256, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(256, 512, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(512, 1024, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(1024, 256, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 256, 3, Padding.Same, Activation.Relu),
            Layer.Flatten(),
            Layer.Dense(12544, 4096, Activation.Relu),
            Layer.Dense(4096, 1470, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyYolo = Family.Entry("tinyYolo", "tiny-YOLO (fixture)", 112, 112,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(3, 16, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(16, 32, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(32, 64, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(64, 128, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Flatten(),
            Layer.Dense(6272, 512, Activation.Relu),
            Layer.Dense(512, 735, Activation.Identity),
        ]);

    public static readonly BestiaryEntry YoloV3 = Family.Entry("yoloV3", "YOLOv3 (single-scale view)", 416, 416,
        Figure.Of("40M (backbone, single-scale)", book: "40M"),
        [
            Layer.ConvBn(3, 32, 3, 1, Padding.Same),
            Layer.ConvBn(32, 64, 3, 2, Padding.Same),
            Layer.DarknetBlock(64, 1),
            Layer.ConvBn(64, 128, 3, 2, Padding.Same),
            Layer.DarknetBlock(128, 2),
            Layer.ConvBn(128, 256, 3, 2, Padding.Same),
            Layer.DarknetBlock(256, 8),
            Layer.ConvBn(256, 512, 3, 2, Padding.Same),
            Layer.DarknetBlock(512, 8),
            Layer.ConvBn(512, 1024, 3, 2, Padding.Same),
            Layer.DarknetBlock(1024, 4),
            Layer.Conv2d(1024, 255, 1, Padding.Same, Activation.Identity),
        ],
        note: SingleScale);

    const string SingleScale = "Single-scale view: the multi-scale FPN detection heads do not linearise.";

    /// <summary>
    /// The CSPDarknet backbone of v5 / v8 / v11 as their configs tabulate it: a stride-2 stem, then per stage a 3×3
    /// stride-2 downsample to Down channels and a CSP block to Out channels with N inner blocks, then a 1×1 head conv.
    /// </summary>
    static Layer[] CspDarknet(long stem, long stemK, (long Down, long Out, long N)[] stages, long head) =>
    [
        Layer.ConvBn(3, stem, stemK, 2, Padding.Same),
        .. stages.SelectMany((s, i) => new Layer[]
        {
            Layer.ConvBn(i == 0 ? stem : stages[i - 1].Out, s.Down, 3, 2, Padding.Same),
            Layer.CspBlock(s.Down, s.Out, s.N),
        }),
        Layer.Conv2d(stages[^1].Out, head, 1, Padding.Same, Activation.Identity),
    ];

    public static readonly BestiaryEntry YoloV5s = Family.Entry("yoloV5s", "YOLOv5s (single-scale view)", 640, 640,
        Figure.Of("3M (single-scale)", book: "3M"),
        CspDarknet(32, 6, [(64, 64, 1), (128, 128, 2), (256, 256, 3), (512, 512, 1)], 255), note: SingleScale);

    public static readonly BestiaryEntry YoloV5m = Family.Entry("yoloV5m", "YOLOv5m (single-scale view)", 640, 640,
        Figure.Of("8M (single-scale)", book: "8M"),
        CspDarknet(48, 6, [(96, 96, 2), (192, 192, 4), (384, 384, 6), (768, 768, 2)], 255), note: SingleScale);

    public static readonly BestiaryEntry YoloV8n = Family.Entry("yoloV8n", "YOLOv8n (single-scale view)", 640, 640,
        Figure.Of("0.7M (single-scale)", book: "0.7M"),
        CspDarknet(16, 3, [(32, 32, 1), (64, 64, 2), (128, 128, 2), (256, 256, 1)], 144), note: SingleScale);

    public static readonly BestiaryEntry YoloV8s = Family.Entry("yoloV8s", "YOLOv8s (single-scale view)", 640, 640,
        Figure.Of("2.9M (single-scale)", book: "2.9M"),
        CspDarknet(32, 3, [(64, 64, 1), (128, 128, 2), (256, 256, 2), (512, 512, 1)], 144), note: SingleScale);

    public static readonly BestiaryEntry YoloV11n = Family.Entry("yoloV11n", "YOLOv11n (single-scale view)", 640, 640,
        Figure.NotQuoted("not quoted (book: backbone only)"),
        CspDarknet(16, 3, [(32, 64, 1), (64, 128, 2), (128, 128, 2), (256, 256, 1)], 144), note: "Backbone only. " + SingleScale);

    public static readonly BestiaryEntry YoloV11m = Family.Entry("yoloV11m", "YOLOv11m (single-scale view)", 640, 640,
        Figure.NotQuoted("not quoted (book: backbone only)"),
        CspDarknet(64, 3, [(128, 256, 1), (256, 512, 4), (512, 512, 4), (512, 512, 2)], 144), note: "Backbone only. " + SingleScale);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        YoloV1, FastYolo, TinyYolo, YoloV3, YoloV5s, YoloV5m, YoloV8n, YoloV8s, YoloV11n, YoloV11m];
}
