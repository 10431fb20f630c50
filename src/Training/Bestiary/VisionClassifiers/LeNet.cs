using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>LeNet (LeCun et al. 1998): conv2d + maxPool + dense; no new primitives.</summary>
public static class LeNet
{
    static readonly Family Family = new("LeNet", Domain.VisionClassifiers, "LeCun et al. 1998");

    public static readonly BestiaryEntry LeNet5 = Family.Entry("leNet5", "LeNet-5", 32, 32,
        Figure.Of("61K (the spec's own count; no separate paper figure given)", book: "61K"),
        [
            Layer.Conv2d(1, 6, 5, Padding.Valid, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Conv2d(6, 16, 5, Padding.Valid, Activation.Relu),
            Layer.MaxPool(2, 2),
            Layer.Flatten(),
            Layer.Dense(400, 120, Activation.Relu),
            Layer.Dense(120, 84, Activation.Relu),
            Layer.Dense(84, 10, Activation.Identity),
        ]);

    public static readonly BestiaryEntry LeNet300_100 = Family.Entry("leNet300_100", "LeNet-300-100 (MLP baseline)", 28, 28,
        Figure.Of("266K (spec's own count)", book: "266K"),
        [
            Layer.Flatten(),
            Layer.Dense(784, 300, Activation.Relu),
            Layer.Dense(300, 100, Activation.Relu),
            Layer.Dense(100, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [LeNet5, LeNet300_100];
}
