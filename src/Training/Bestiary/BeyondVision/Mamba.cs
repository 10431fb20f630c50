using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>Mamba (Gu &amp; Dao 2023): selective state-space blocks (mambaBlock, definition 82).</summary>
public static class Mamba
{
    static readonly Family Family = new("Mamba", Domain.BeyondVision, "Gu & Dao 2023");

    public static readonly BestiaryEntry Mamba130M = Family.Entry("mamba130M", "Mamba-130M", 2048, 1,
        Figure.Of("130M (book: all three within ≈5% of Gu & Dao)", book: "130M", within: 0.05),
        [Layer.MambaBlock(768, 16, 2, 24), Layer.Dense(768, 50280, Activation.Identity)]);

    public static readonly BestiaryEntry Mamba370M = Family.Entry("mamba370M", "Mamba-370M", 2048, 1,
        Figure.Of("370M (within ≈5%)", book: "370M", within: 0.05),
        [Layer.MambaBlock(1024, 16, 2, 48), Layer.Dense(1024, 50280, Activation.Identity)]);

    public static readonly BestiaryEntry Mamba790M = Family.Entry("mamba790M", "Mamba-790M", 2048, 1,
        Figure.Of("790M (within ≈5%)", book: "790M", within: 0.05),
        [Layer.MambaBlock(1536, 16, 2, 48), Layer.Dense(1536, 50280, Activation.Identity)]);

    public static readonly BestiaryEntry TinyMamba = Family.Entry("tinyMamba", "tiny-Mamba", 256, 1,
        Figure.NotQuoted(),
        [Layer.MambaBlock(128, 16, 2, 4), Layer.Dense(128, 1000, Activation.Identity)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Mamba130M, Mamba370M, Mamba790M, TinyMamba];
}
