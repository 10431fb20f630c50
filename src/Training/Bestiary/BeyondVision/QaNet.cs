using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>QANet (Yu et al. 2018): four separable convs + one transformer block per encoder block.</summary>
public static class QaNet
{
    static readonly Family Family = new("QANet", Domain.BeyondVision, "Yu et al. 2018",
        "Context-query attention and the embedding tables are omitted.");

    public static readonly BestiaryEntry QanetEncoderBlock = Family.Entry("qanetEncoderBlock", "QANet encoder block (4× sep-conv + self-attn + FFN)", 400, 1,
        Figure.Of("≈270K per block", book: "≈270K"),
        [.. Repeat.Times(4, Layer.SeparableConv(128, 128, 1)), Layer.TransformerEncoder(128, 8, 512, 1)]);

    public static readonly BestiaryEntry QanetModelEncoderStack = Family.Entry("qanetModelEncoderStack", "QANet model encoder stack (7 blocks, deep body)", 400, 1,
        Figure.Of("≈1.9M (7 blocks)", book: "≈1.9M"),
        [
            .. Repeat.Times(
                7, Layer.SeparableConv(128, 128, 1), Layer.SeparableConv(128, 128, 1), Layer.SeparableConv(128, 128, 1),
                Layer.SeparableConv(128, 128, 1), Layer.TransformerEncoder(128, 8, 512, 1)),
        ]);

    public static readonly BestiaryEntry TinyQANet = Family.Entry("tinyQANet", "tiny-QANet (2 blocks, dim 32)", 64, 1,
        Figure.NotQuoted(),
        [
            .. Repeat.Times(2, Layer.SeparableConv(32, 32, 1), Layer.SeparableConv(32, 32, 1), Layer.TransformerEncoder(32, 2, 128, 1)),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [QanetEncoderBlock, QanetModelEncoderStack, TinyQANet];
}
