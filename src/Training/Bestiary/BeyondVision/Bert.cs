using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// BERT (Devlin et al. 2018; RoBERTa: Liu et al. 2019): transformerEncoder with a dense vocab→dim embedding
/// stand-in.
/// </summary>
public static class Bert
{
    static readonly Family Family = new("BERT", Domain.BeyondVision, "Devlin et al. 2018; RoBERTa: Liu et al. 2019",
        "dense vocab→dim stands in for the token-embedding table (faithful count; the L → L×D lookup is not expressible).");

    public static readonly BestiaryEntry BertBase = Family.Entry("bertBase", "BERT-base", 512, 1,
        Figure.Of("109M; paper 110M", book: "109M", paper: "110M"),
        [
            Layer.Dense(30522, 768, Activation.Identity),
            Layer.TransformerEncoder(768, 12, 3072, 12),
            Layer.Dense(768, 768, Activation.Identity),
        ]);

    public static readonly BestiaryEntry BertLarge = Family.Entry("bertLarge", "BERT-large", 512, 1,
        Figure.Of("335M; paper 340M", book: "335M", paper: "340M"),
        [
            Layer.Dense(30522, 1024, Activation.Identity),
            Layer.TransformerEncoder(1024, 16, 4096, 24),
            Layer.Dense(1024, 1024, Activation.Identity),
        ]);

    public static readonly BestiaryEntry RobertaBase = Family.Entry("robertaBase", "RoBERTa-base", 512, 1,
        Figure.Of("124M; paper 125M", book: "124M", paper: "125M"),
        [
            Layer.Dense(50265, 768, Activation.Identity),
            Layer.TransformerEncoder(768, 12, 3072, 12),
            Layer.Dense(768, 768, Activation.Identity),
        ]);

    public static readonly BestiaryEntry RobertaLarge = Family.Entry("robertaLarge", "RoBERTa-large", 512, 1,
        Figure.Of("355M, equal to paper", book: "355M", paper: "355M"),
        [
            Layer.Dense(50265, 1024, Activation.Identity),
            Layer.TransformerEncoder(1024, 16, 4096, 24),
            Layer.Dense(1024, 1024, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyBERT = Family.Entry("tinyBERT", "tiny-BERT", 128, 1,
        Figure.NotQuoted(),
        [
            Layer.Dense(1000, 128, Activation.Identity),
            Layer.TransformerEncoder(128, 2, 512, 4),
            Layer.Dense(128, 128, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [BertBase, BertLarge, RobertaBase, RobertaLarge, TinyBERT];
}
