using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Specs;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// One of the book's per-axiom differential cases (training facts §2.3): a tiny MNIST-shaped net whose hand-derived
/// backward is trained side by side with the autograd twin. <paramref name="Float32Bound"/> is the relative bound on every
/// step-1 gradient tensor in float32 (float64 is held to <see cref="DifferentialCatalog.Float64Bound"/>);
/// <paramref name="BookStep2Delta"/> is the book's observed step-2 loss difference (IREE-ROCm vs JAX-CPU; NaN for our
/// own extra cases).
/// </summary>
public sealed record DifferentialCase(
    string Name, string Exercises, NetSpec Spec, double Float32Bound, double BookStep2Delta, IReadOnlyList<string> Items)
{
    /// <summary>Label smoothing ε of the loss (the book's cases: 0).</summary>
    public double Smoothing { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The book's nine differential cases (dense, dense+ReLU, conv, conv+BN, conv+max-pool, residual, depthwise, SE,
/// attention) and the five extras of its runner (global-avg-pool, bottleneck, MBConv-V3, fused MBConv, UIB), with the
/// book's NetSpecs; then two of ours (label smoothing; a strided stage with a projection shortcut). Float32 bounds: the smallest power of
/// ten at least 10× the worst relative error measured per case
/// (float32, batch 4, the first Fashion-MNIST training images; README "Differential cases"); each is 10–1000× below
/// the 1e-3 error of a gradient scaled by 1.001.
/// </summary>
public static class DifferentialCatalog
{
    public const double Float64Bound = 1e-10;

    static NetSpec Net(string name, params Layer[] layers) => new("diff-" + name, layers);

    public static IReadOnlyList<DifferentialCase> All { get; } =
    [
        new("dense", "dense VJP + softmax-CE gradient", Net("dense", Dense(784, 10, Identity)),
            1e-5, 2.73e-07, [ItemId.dense_has_vjp, ItemId.softmaxCE_grad]),
        new("dense-relu", "ReLU VJP + chain rule", Net("dense-relu", Dense(784, 64, Relu), Dense(64, 10, Identity)),
            1e-6, 4.77e-07, [ItemId.relu_has_vjp, ItemId.vjp_comp]),
        new("conv", "conv input/weight/bias VJP + flatten",
            Net("conv", Conv2d(1, 4, 3, Same, Identity), Flatten(), Dense(3136, 10, Identity)),
            1e-5, 2.24e-07, [ItemId.conv2d_has_vjp3, ItemId.conv2d_weight_grad_has_vjp, ItemId.conv2d_bias_grad_has_vjp]),
        new("convbn", "BN VJP", Net("convbn", ConvBn(1, 4, 3, 1, Same), Flatten(), Dense(3136, 10, Identity)),
            1e-5, 2.18e-06, [ItemId.bn_has_vjp, ItemId.bnNormalize_has_vjp, ItemId.bnAffine_has_vjp]),
        new("conv-pool", "max-pool VJP",
            Net("conv-pool", Conv2d(1, 4, 3, Same, Identity), MaxPool(2, 2), Flatten(), Dense(784, 10, Identity)),
            1e-5, 1.18e-04, [ItemId.maxPool2_has_vjp3]),
        new("residual", "additive fan-in (skip)",
            Net("residual", ConvBn(1, 4, 3, 1, Same), ResidualBlock(4, 4, 1, 1), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 3.06e-07, [ItemId.residual_has_vjp, ItemId.biPath3_has_vjp]),
        new("depthwise", "depthwise VJP (8×1×3×3, groups 8)",
            Net("depthwise", ConvBn(1, 4, 3, 1, Same), InvertedResidual(4, 4, 2, 1, 1), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 1.11e-05, [ItemId.depthwise_has_vjp3, ItemId.depthwise_weight_grad_has_vjp3]),
        new("se", "SE gate (multiplicative fan-in) + MBConv with Swish",
            Net("se", ConvBn(1, 4, 3, 1, Same), MbConv(4, 4, 2, 3, 1, 1, true), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 1.56e-06, [ItemId.seBlock_has_vjp, ItemId.elemwiseProduct_has_vjp]),
        new("attention", "patch embedding + pre-LN transformer block (2 heads) + classifier on CLS",
            Net("attention", PatchEmbed(1, 16, 7, 16), TransformerEncoder(16, 2, 32, 1), Dense(16, 10, Identity)),
            1e-5, 1.81e-07,
                [ItemId.mhsa_has_vjp_mat, ItemId.patchEmbed_flat_has_vjp, ItemId.transformerBlock_has_vjp_mat, ItemId.layerNorm_has_vjp,
                ItemId.gelu_tanh_has_vjp]),
        new("global-avg-pool", "spatial-mean VJP",
            Net("global-avg-pool", ConvBn(1, 4, 3, 1, Same), GlobalAvgPool(), Dense(4, 10, Identity)),
            1e-4, 1.35e-06, [ItemId.bn_has_vjp]),
        new("bottleneck", "1×1-3×3-1×1 + skip",
            Net("bottleneck", ConvBn(1, 8, 3, 1, Same), BottleneckBlock(8, 8, 1, 1), Flatten(), Dense(6272, 10, Identity)),
            1e-4, 8.78e-06, [ItemId.residual_has_vjp]),
        new("mbconv-v3", "h-swish / h-sigmoid SE",
            Net("mbconv-v3", ConvBn(1, 4, 3, 1, Same), MbConvV3(4, 4, 8, 3, 1, true, true), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 5.81e-06, [ItemId.seBlock_has_vjp]),
        new("fused-mbconv", "EfficientNet-V2 fused block",
            Net("fused-mbconv", ConvBn(1, 4, 3, 1, Same), FusedMbConv(4, 4, 2, 3, 1, 1, false), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 8.09e-07, [ItemId.residual_has_vjp]),
        new("uib", "MobileNet-V4 UIB (both optional depthwise convs)",
            Net("uib", ConvBn(1, 4, 3, 1, Same), Uib(4, 4, 2, 1, 3, 5), Flatten(), Dense(3136, 10, Identity)),
            1e-4, 1.13e-05, [ItemId.depthwise_has_vjp3]),
        // Ours, beyond the book's runner: the code's smoothed targets, and a strided stage whose shortcut is a projection
        // (SAME padding split unevenly at stride 2 on an even map).
        new("dense-smoothing", "softmax-CE with label smoothing 0.1", Net("dense-smoothing", Dense(784, 64, Relu), Dense(64, 10, Identity)),
            1e-5, double.NaN, [ItemId.softmaxCE_grad]) { Smoothing = 0.1 },
        new("projection", "stride-2 residual stage with a 1×1 projection shortcut",
            Net("projection", ConvBn(1, 4, 3, 1, Same), ResidualBlock(4, 8, 1, 2), Flatten(), Dense(1568, 10, Identity)),
            1e-4, double.NaN, [ItemId.residual_has_vjp, ItemId.biPath3_has_vjp]),
    ];

    public static DifferentialCase Find(string name) =>
        All.FirstOrDefault(c => c.Name == name)
            ?? throw new ArgumentException($"no differential case '{name}' (known: {string.Join(", ", All)})");
}
