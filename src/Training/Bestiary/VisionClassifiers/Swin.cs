using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>
/// Swin Transformer (Liu et al. 2021): windowed attention stages glued by patch merging (definitions 83, 84).
/// </summary>
public static class Swin
{
    static readonly Family Family = new("Swin", Domain.VisionClassifiers, "Liu et al. 2021");

    /// <summary>
    /// Patch embedding, then per stage a Swin stage (heads = width / head width, MLP 4× the width) with a patch merge
    /// between stages, GAP and a dense head.
    /// </summary>
    static Layer[] Net(long patch, long nPatches, long[] widths, long[] depths, long headWidth, long window, long classes) =>
    [
        Layer.PatchEmbed(3, widths[0], patch, nPatches),
        .. Repeat.Stages(
            widths, i => Layer.SwinStage(widths[i], widths[i] / headWidth, 4 * widths[i], window, depths[i]), Layer.PatchMerging),
        Layer.GlobalAvgPool(),
        Layer.Dense(widths[^1], classes, Activation.Identity),
    ];

    public static readonly BestiaryEntry SwinT = Family.Entry("swinT", "Swin-T", 224, 224,
        Figure.Of("28M, matches paper", book: "28M", paper: "28M"), Net(4, 3136, [96, 192, 384, 768], [2, 2, 6, 2], 32, 7, 1000));

    public static readonly BestiaryEntry SwinS = Family.Entry("swinS", "Swin-S", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~50M)"), Net(4, 3136, [96, 192, 384, 768], [2, 2, 18, 2], 32, 7, 1000));

    public static readonly BestiaryEntry SwinB = Family.Entry("swinB", "Swin-B", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~88M)"), Net(4, 3136, [128, 256, 512, 1024], [2, 2, 18, 2], 32, 7, 1000));

    public static readonly BestiaryEntry TinySwin = Family.Entry("tinySwin", "tiny-Swin", 32, 32,
        Figure.NotQuoted(), Net(2, 256, [32, 64, 128, 256], [2, 2, 2, 2], 16, 4, 10));

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SwinT, SwinS, SwinB, TinySwin];
}
