using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;

namespace LeanMlirVerify.Training.Specs;

/// <summary>The ablation runner's own specs (netspec facts §5.2); the others it uses live in <see cref="PartOneSpecs"/>.</summary>
public static class AblationSpecs
{
    public static NetSpec MnistLinear => new("MNIST-Linear", [Dense(784, 10, Identity)]);

    public static NetSpec MnistShallow => new("MNIST-Shallow", [Dense(784, 128, Relu), Dense(128, 10, Identity)]);

    /// <summary>One hidden layer of width w: 795·w + 10 params.</summary>
    public static NetSpec MnistHidden(long w) => new($"MNIST-H{w}", [Dense(784, w, Relu), Dense(w, 10, Identity)]);

    /// <summary>MNIST CNN with f filters: 9·f² + 25,099·f + 1,418 params.</summary>
    public static NetSpec MnistCnnWidth(long f) => new($"MNIST-CNN-f{f}", [
        Conv2d(1, f, 3, Same, Relu),
        Conv2d(f, f, 3, Same, Relu),
        MaxPool(2, 2),
        Flatten(),
        Dense(196 * f, 128, Relu),
        Dense(128, 10, Identity),
    ]);

    /// <summary>CIFAR BN CNN with f filters: 63·f² + 65,575·f + 5,642 params, 4 BN layers, 12·f stat floats.</summary>
    public static NetSpec CifarCnnWidth(long f) => new($"CIFAR-BN-f{f}", [
        ConvBn(3, f, 3, 1, Same),
        ConvBn(f, f, 3, 1, Same),
        MaxPool(2, 2),
        ConvBn(f, 2 * f, 3, 1, Same),
        ConvBn(2 * f, 2 * f, 3, 1, Same),
        MaxPool(2, 2),
        Flatten(),
        Dense(128 * f, 512, Relu),
        Dense(512, 10, Identity),
    ], 32, 32);

    public static NetSpec MnistCnnLite => new("MNIST-CNN-Lite", [
        Conv2d(1, 128, 3, Same, Relu),
        Conv2d(128, 128, 3, Same, Relu),
        MaxPool(2, 2),
        GlobalAvgPool(),
        Dense(128, 10, Identity),
    ]);

    public static NetSpec MnistCnnLiteBn => MnistCnnLite.WithBatchNorm("MNIST-CNN-Lite-BN");

    public static NetSpec CifarLiteNoBn => new("CIFAR-Lite-noBN", [
        Conv2d(3, 64, 3, Same, Relu),
        Conv2d(64, 64, 3, Same, Relu),
        MaxPool(2, 2),
        Conv2d(64, 128, 3, Same, Relu),
        Conv2d(128, 128, 3, Same, Relu),
        MaxPool(2, 2),
        GlobalAvgPool(),
        Dense(128, 10, Identity),
    ], 32, 32);

    public static NetSpec CifarLiteBn => CifarLiteNoBn.WithBatchNorm("CIFAR-Lite-BN");
}
