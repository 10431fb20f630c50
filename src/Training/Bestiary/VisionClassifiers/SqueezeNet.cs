using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>SqueezeNet (Iandola et al. 2016): fire modules: squeeze 1×1, then parallel 1×1 and 3×3 expands.</summary>
public static class SqueezeNet
{
    static readonly Family Family = new("SqueezeNet", Domain.VisionClassifiers, "Iandola et al. 2016");

    public static readonly BestiaryEntry SqueezeNet1_0 = Family.Entry("squeezeNet1_0", "SqueezeNet 1.0", 224, 224,
        Figure.Of("1.25M, equal to paper", book: "1.25M", paper: "1.25M"),
        [
            Layer.ConvBn(3, 96, 7, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.FireModule(96, 16, 64, 64),
            Layer.FireModule(128, 16, 64, 64),
            Layer.FireModule(128, 32, 128, 128),
            Layer.MaxPool(2, 2),
            Layer.FireModule(256, 32, 128, 128),
            Layer.FireModule(256, 48, 192, 192),
            Layer.FireModule(384, 48, 192, 192),
            Layer.FireModule(384, 64, 256, 256),
            Layer.MaxPool(2, 2),
            Layer.FireModule(512, 64, 256, 256),
            Layer.Conv2d(512, 1000, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
        ]);

    public static readonly BestiaryEntry SqueezeNet1_1 = Family.Entry("squeezeNet1_1", "SqueezeNet 1.1", 224, 224,
        Figure.Of("1.24M", book: "1.24M"),
        [
            Layer.ConvBn(3, 64, 3, 2, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.FireModule(64, 16, 64, 64),
            Layer.FireModule(128, 16, 64, 64),
            Layer.MaxPool(2, 2),
            Layer.FireModule(128, 32, 128, 128),
            Layer.FireModule(256, 32, 128, 128),
            Layer.MaxPool(2, 2),
            Layer.FireModule(256, 48, 192, 192),
            Layer.FireModule(384, 48, 192, 192),
            Layer.FireModule(384, 64, 256, 256),
            Layer.FireModule(512, 64, 256, 256),
            Layer.Conv2d(512, 1000, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
        ]);

    public static readonly BestiaryEntry TinySqueezeNet = Family.Entry("tinySqueezeNet", "tiny-SqueezeNet", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(3, 32, 3, 1, Padding.Same),
            .. Repeat.Times(2, Layer.FireModule(32, 8, 16, 16)),
            Layer.MaxPool(2, 2),
            Layer.FireModule(32, 16, 32, 32),
            Layer.FireModule(64, 16, 32, 32),
            Layer.Conv2d(64, 10, 1, Padding.Same, Activation.Relu),
            Layer.GlobalAvgPool(),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SqueezeNet1_0, SqueezeNet1_1, TinySqueezeNet];
}
