using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// LLaVA (Liu et al. 2023): frozen CLIP ViT + small projector + LLaMA language model, one spec per component.
/// </summary>
public static class Llava
{
    static readonly Family Family = new("LLaVA", Domain.BeyondVision, "Liu et al. 2023");

    public static readonly BestiaryEntry LlavaVisionEncoder = Family.Entry("llavaVisionEncoder", "LLaVA vision encoder (CLIP ViT-L/14 @ 336px)", 336, 336,
        Figure.Of("303M (matches CLIP ViT-L/14)", book: "303M"),
        [Layer.PatchEmbed(3, 1024, 14, 576), Layer.TransformerEncoder(1024, 16, 4096, 24)]);

    public static readonly BestiaryEntry Llava1Projector = Family.Entry("llava1Projector", "LLaVA-1 projector (single linear)", 576, 1,
        Figure.Of("4M", book: "4M"),
        [Layer.Dense(1024, 4096, Activation.Identity)]);

    public static readonly BestiaryEntry Llava15Projector = Family.Entry("llava15Projector", "LLaVA-1.5 projector (2-layer MLP)", 576, 1,
        Figure.Of("21M", book: "21M"),
        [Layer.Dense(1024, 4096, Activation.Identity), Layer.Dense(4096, 4096, Activation.Identity)]);

    public static readonly BestiaryEntry LlavaLLM7B = Family.Entry("llavaLLM7B", "LLaVA 7B LM (LLaMA-7B backbone)", 2048, 1,
        Figure.NotQuoted("undercounts real LLaMA-7B by ≈23% (2-matrix FFN vs SwiGLU)"),
        [Layer.Dense(32000, 4096, Activation.Identity), Layer.TransformerEncoder(4096, 32, 11008, 32)],
        note: "transformerEncoder's 2-matrix FFN undercounts LLaMA's SwiGLU (3 matrices) by ≈23%.");

    public static readonly BestiaryEntry LlavaLLM13B = Family.Entry("llavaLLM13B", "LLaVA 13B LM (LLaMA-13B backbone)", 2048, 1,
        Figure.NotQuoted("undercounts real LLaMA-13B by ≈23%"),
        [Layer.Dense(32000, 5120, Activation.Identity), Layer.TransformerEncoder(5120, 40, 13824, 40)],
        note: "transformerEncoder's 2-matrix FFN undercounts LLaMA's SwiGLU (3 matrices) by ≈23%.");

    public static readonly BestiaryEntry TinyLlava = Family.Entry("tinyLlava", "tiny-LLaVA", 112, 112,
        Figure.NotQuoted(),
        [
            Layer.PatchEmbed(3, 128, 14, 64),
            Layer.TransformerEncoder(128, 4, 512, 4),
            Layer.Dense(128, 256, Activation.Identity),
            Layer.TransformerEncoder(256, 4, 1024, 4),
        ],
        note: "Vision encoder, projector and language model chained in one fixture.");

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        LlavaVisionEncoder, Llava1Projector, Llava15Projector, LlavaLLM7B, LlavaLLM13B, TinyLlava];
}
