using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>Xception (Chollet 2017): every conv a depthwise-separable conv.</summary>
public static class Xception
{
    static readonly Family Family = new("Xception", Domain.VisionClassifiers, "Chollet 2017",
        "Residual skips around each block of separable convs are implicit in the linear list.");

    public static readonly BestiaryEntry Original = Family.Entry("xception", "Xception", 299, 299,
        Figure.Of("21.9M; paper 22M", book: "21.9M", paper: "22M"),
        [
            Layer.ConvBn(3, 32, 3, 2, Padding.Same),
            Layer.ConvBn(32, 64, 3, 1, Padding.Same),
            Layer.SeparableConv(64, 128, 1),
            Layer.SeparableConv(128, 128, 1),
            Layer.MaxPool(2, 2),
            Layer.SeparableConv(128, 256, 1),
            Layer.SeparableConv(256, 256, 1),
            Layer.MaxPool(2, 2),
            Layer.SeparableConv(256, 728, 1),
            Layer.SeparableConv(728, 728, 1),
            Layer.MaxPool(2, 2),
            .. Repeat.Times(25, Layer.SeparableConv(728, 728, 1)),
            Layer.SeparableConv(728, 1024, 1),
            Layer.MaxPool(2, 2),
            Layer.SeparableConv(1024, 1536, 1),
            Layer.SeparableConv(1536, 2048, 1),
            Layer.GlobalAvgPool(),
            Layer.Dense(2048, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyXception = Family.Entry("tinyXception", "tiny-Xception", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 16, 3, 1, Padding.Same),
            Layer.SeparableConv(16, 32, 1),
            Layer.SeparableConv(32, 32, 1),
            Layer.MaxPool(2, 2),
            Layer.SeparableConv(32, 64, 1),
            Layer.SeparableConv(64, 64, 1),
            Layer.MaxPool(2, 2),
            Layer.SeparableConv(64, 128, 1),
            Layer.SeparableConv(128, 128, 1),
            Layer.GlobalAvgPool(),
            Layer.Dense(128, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Original, TinyXception];
}
