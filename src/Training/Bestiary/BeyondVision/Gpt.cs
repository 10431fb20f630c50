using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// GPT (Radford et al. 2018, 2019): decoder-only transformer stacks (causal mask is a training-time detail).
/// </summary>
public static class Gpt
{
    static readonly Family Family = new("GPT", Domain.BeyondVision, "Radford et al. 2018, 2019",
        "dense vocab→dim stands in for the token embedding, tied to the LM head.");

    public static readonly BestiaryEntry Gpt1 = Family.Entry("gpt1", "GPT-1", 512, 1,
        Figure.Of("116M; paper 117M", book: "116M", paper: "117M"),
        [Layer.Dense(40478, 768, Activation.Identity), Layer.TransformerEncoder(768, 12, 3072, 12)]);

    public static readonly BestiaryEntry Gpt2Small = Family.Entry("gpt2Small", "GPT-2 small", 1024, 1,
        Figure.Of("123M; paper 124M", book: "123M", paper: "124M"),
        [Layer.Dense(50257, 768, Activation.Identity), Layer.TransformerEncoder(768, 12, 3072, 12)]);

    public static readonly BestiaryEntry Gpt2Medium = Family.Entry("gpt2Medium", "GPT-2 medium", 1024, 1,
        Figure.Of("353M (no paper figure in book; file doc says paper 345M)", book: "353M"),
        [Layer.Dense(50257, 1024, Activation.Identity), Layer.TransformerEncoder(1024, 16, 4096, 24)]);

    public static readonly BestiaryEntry Gpt2Large = Family.Entry("gpt2Large", "GPT-2 large", 1024, 1,
        Figure.Of("772M; paper 774M", book: "772M", paper: "774M"),
        [Layer.Dense(50257, 1280, Activation.Identity), Layer.TransformerEncoder(1280, 20, 5120, 36)]);

    public static readonly BestiaryEntry Gpt2XL = Family.Entry("gpt2XL", "GPT-2 XL", 1024, 1,
        Figure.Of("1.56B; paper 1.5B", book: "1.56B", paper: "1.5B"),
        [Layer.Dense(50257, 1600, Activation.Identity), Layer.TransformerEncoder(1600, 25, 6400, 48)]);

    public static readonly BestiaryEntry TinyGPT = Family.Entry("tinyGPT", "tiny-GPT", 128, 1,
        Figure.NotQuoted(),
        [Layer.Dense(1000, 128, Activation.Identity), Layer.TransformerEncoder(128, 2, 512, 4)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Gpt1, Gpt2Small, Gpt2Medium, Gpt2Large, Gpt2XL, TinyGPT];
}
