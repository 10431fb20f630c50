using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// AlexNet (Krizhevsky et al. 2012): five convs, three FCs, pools; ~58M of the 62M live in the three FC layers.
/// </summary>
public static class AlexNet
{
    static readonly Family Family = new("AlexNet", Domain.VisionClassifiers, "Krizhevsky et al. 2012");

    public static readonly BestiaryEntry Original = Family.Entry("alexNet", "AlexNet (Krizhevsky 2012)", 227, 227,
        Figure.Of("62M; paper 60M", book: "62M", paper: "60M"),
        [
            Layer.ConvBn(3, 96, 11, 4, Padding.Same),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(96, 256, 5, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(256, 384, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(384, 384, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(384, 256, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Flatten(),
            Layer.Dense(9216, 4096, Activation.Relu),
            Layer.Dense(4096, 4096, Activation.Relu),
            Layer.Dense(4096, 1000, Activation.Identity),
        ],
        note: "LRN omitted; the paper's 3×3 stride-2 pools are written as maxPool 2 2.");

    public static readonly BestiaryEntry TinyAlexNet = Family.Entry("tinyAlexNet", "tiny-AlexNet", 32, 32,
        Figure.NotQuoted("not quoted (CIFAR fixture)"),
        [
            Layer.Conv2d(3, 64, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(64, 128, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(128, 192, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(192, 192, 3, Padding.Same, Activation.Relu),
            Layer.Conv2d(192, 128, 3, Padding.Same, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Flatten(),
            Layer.Dense(2048, 512, Activation.Relu),
            Layer.Dense(512, 256, Activation.Relu),
            Layer.Dense(256, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Original, TinyAlexNet];
}
