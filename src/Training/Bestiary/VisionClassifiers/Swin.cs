using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.VisionClassifiers;

/// <summary>Swin Transformer (Liu et al. 2021): windowed attention stages glued by patch merging (definitions 83, 84).</summary>
public static class Swin
{
    static readonly Family Family = new("Swin", Domain.VisionClassifiers, "Liu et al. 2021");

    public static readonly BestiaryEntry SwinT = Family.Entry("swinT", "Swin-T", 224, 224,
        Figure.Of("28M, matches paper", book: "28M", paper: "28M"),
        [
            Layer.PatchEmbed(3, 96, 4, 3136),
            Layer.SwinStage(96, 3, 384, 7, 2),
            Layer.PatchMerging(96, 192),
            Layer.SwinStage(192, 6, 768, 7, 2),
            Layer.PatchMerging(192, 384),
            Layer.SwinStage(384, 12, 1536, 7, 6),
            Layer.PatchMerging(384, 768),
            Layer.SwinStage(768, 24, 3072, 7, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(768, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry SwinS = Family.Entry("swinS", "Swin-S", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~50M)"),
        [
            Layer.PatchEmbed(3, 96, 4, 3136),
            Layer.SwinStage(96, 3, 384, 7, 2),
            Layer.PatchMerging(96, 192),
            Layer.SwinStage(192, 6, 768, 7, 2),
            Layer.PatchMerging(192, 384),
            Layer.SwinStage(384, 12, 1536, 7, 18),
            Layer.PatchMerging(384, 768),
            Layer.SwinStage(768, 24, 3072, 7, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(768, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry SwinB = Family.Entry("swinB", "Swin-B", 224, 224,
        Figure.NotQuoted("not quoted (file's doc table: ~88M)"),
        [
            Layer.PatchEmbed(3, 128, 4, 3136),
            Layer.SwinStage(128, 4, 512, 7, 2),
            Layer.PatchMerging(128, 256),
            Layer.SwinStage(256, 8, 1024, 7, 2),
            Layer.PatchMerging(256, 512),
            Layer.SwinStage(512, 16, 2048, 7, 18),
            Layer.PatchMerging(512, 1024),
            Layer.SwinStage(1024, 32, 4096, 7, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(1024, 1000, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinySwin = Family.Entry("tinySwin", "tiny-Swin", 32, 32,
        Figure.NotQuoted(),
        [
            Layer.PatchEmbed(3, 32, 2, 256),
            Layer.SwinStage(32, 2, 128, 4, 2),
            Layer.PatchMerging(32, 64),
            Layer.SwinStage(64, 4, 256, 4, 2),
            Layer.PatchMerging(64, 128),
            Layer.SwinStage(128, 8, 512, 4, 2),
            Layer.PatchMerging(128, 256),
            Layer.SwinStage(256, 16, 1024, 4, 2),
            Layer.GlobalAvgPool(),
            Layer.Dense(256, 10, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SwinT, SwinS, SwinB, TinySwin];
}
