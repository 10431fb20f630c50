using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>Evoformer (Jumper et al. 2021): Evoformer blocks + structure module (definitions 91, 92).</summary>
public static class Evoformer
{
    static readonly Family Family = new("Evoformer", Domain.BeyondVision, "Jumper et al. 2021",
        "The MSA + pair dual representation does not fit a linear list; bundled primitives stand in.");

    public static readonly BestiaryEntry AlphaFold2 = Family.Entry("alphaFold2", "AlphaFold 2 (Evoformer + StructureModule)", 384, 1,
        Figure.Of("76M", book: "76M"),
        [Layer.EvoformerBlock(256, 128, 48), Layer.StructureModule(384, 128, 8)]);

    public static readonly BestiaryEntry AlphaFold2Mini = Family.Entry("alphaFold2Mini", "AlphaFold 2 Mini (16 + 4)", 256, 1,
        Figure.NotQuoted(),
        [Layer.EvoformerBlock(192, 96, 16), Layer.StructureModule(256, 96, 4)]);

    public static readonly BestiaryEntry TinyEvoformer = Family.Entry("tinyEvoformer", "tiny-Evoformer (4 blocks)", 64, 1,
        Figure.NotQuoted(),
        [Layer.EvoformerBlock(64, 32, 4), Layer.StructureModule(128, 32, 2)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [AlphaFold2, AlphaFold2Mini, TinyEvoformer];
}
