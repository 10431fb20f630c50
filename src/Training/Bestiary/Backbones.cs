using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>Bodies and heads that several chapter-11 entries share, written once.</summary>
public static class Backbones
{
    public static readonly long[] ResNet50 = [3, 4, 6, 3], ResNet101 = [3, 4, 23, 3];

    /// <summary>
    /// The ResNet-50/101 body (DETR, DeepLab v3+, Mask R-CNN, CLIP-RN50): 7×7 stride-2 stem, max-pool, four bottleneck
    /// stages 256 → 2048 wide, the first at stride 1. DeepLab keeps its last stage at stride 1 (atrous), and it and
    /// Mask R-CNN pool 3×3 where the others write 2×2.
    /// </summary>
    public static IEnumerable<Layer> ResNet(long[] depths, long poolSize = 2, long lastStride = 2) =>
    [
        Layer.ConvBn(3, 64, 7, 2, Padding.Same),
        Layer.MaxPool(poolSize, 2),
        .. Repeat.Chain(64, [256, 512, 1024, 2048],
            (ic, oc, i) => Layer.BottleneckBlock(ic, oc, depths[i], i == 0 ? 1 : i == 3 ? lastStride : 2)),
    ];

    /// <summary>
    /// The PatchGAN discriminator (Pix2Pix and CycleGAN share it): 4×4 convBn stages, stride 2 but the last, then a
    /// 4×4 conv to one real/fake logit per patch.
    /// </summary>
    public static Layer[] PatchGan(long[] widths) =>
    [
        .. Repeat.Chain(3, widths, (ic, oc, i) => Layer.ConvBn(ic, oc, 4, i == widths.Length - 1 ? 1 : 2, Padding.Same)),
        Layer.Conv2d(widths[^1], 1, 4, Padding.Same, Activation.Identity),
    ];

    /// <summary>AlphaZero-style policy head: 1×1 conv to move planes, flatten, dense over the board's cells to the moves.</summary>
    public static Layer[] PolicyHead(long channels, long planes, long cells, long moves) =>
    [
        Layer.Conv2d(channels, planes, 1, Padding.Same, Activation.Identity),
        Layer.Flatten(),
        Layer.Dense(planes * cells, moves, Activation.Identity),
    ];

    /// <summary>AlphaZero-style value (or reward) head: 1×1 conv to one plane, flatten, a hidden dense layer, one scalar.</summary>
    public static Layer[] ValueHead(long channels, long cells, long hidden) =>
    [
        Layer.Conv2d(channels, 1, 1, Padding.Same, Activation.Identity),
        Layer.Flatten(),
        Layer.Dense(cells, hidden, Activation.Relu),
        Layer.Dense(hidden, 1, Activation.Identity),
    ];
}
