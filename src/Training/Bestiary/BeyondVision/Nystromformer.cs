using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// Nystromformer (Xiong et al. 2021): parameter-identical to a standard transformer; the O(n) attention is a
/// compute change.
/// </summary>
public static class Nystromformer
{
    static readonly Family Family = new("Nystromformer", Domain.BeyondVision, "Xiong et al. 2021");

    public static readonly BestiaryEntry NystromformerBase = Family.Entry("nystromformerBase", "Nyströmformer base (BERT-base-shaped, O(n) attention)", 4096, 1,
        Figure.Of("108M (vs BERT-base 109M)", book: "108M"),
        [Layer.Dense(30522, 768, Activation.Identity), Layer.TransformerEncoder(768, 12, 3072, 12)]);

    public static readonly BestiaryEntry NystromformerLarge = Family.Entry("nystromformerLarge", "Nyströmformer large (BERT-large-shaped)", 4096, 1,
        Figure.Of("333M (vs BERT-large 335M)", book: "333M"),
        [Layer.Dense(30522, 1024, Activation.Identity), Layer.TransformerEncoder(1024, 16, 4096, 24)]);

    public static readonly BestiaryEntry TinyNystromformer = Family.Entry("tinyNystromformer", "tiny-Nyströmformer", 512, 1,
        Figure.NotQuoted(),
        [Layer.Dense(1000, 128, Activation.Identity), Layer.TransformerEncoder(128, 2, 512, 4)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [NystromformerBase, NystromformerLarge, TinyNystromformer];
}
