using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// WaveNet (van den Oord et al. 2016): dilated causal convolution stacks (waveNetBlock, definition 96).
/// </summary>
public static class WaveNet
{
    static readonly Family Family = new("WaveNet", Domain.BeyondVision, "van den Oord et al. 2016",
        "The skip path is taken as the forward output; residual and skip outputs do not linearise.");

    public static readonly BestiaryEntry SingleStack = Family.Entry("waveNet", "WaveNet (single stack, speech)", 16000, 1,
        Figure.Of("0.4M", book: "0.4M"),
        [
            Layer.Conv2d(256, 32, 1, Padding.Same, Activation.Identity),
            Layer.WaveNetBlock(32, 512, 10),
            Layer.Conv2d(512, 256, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry WaveNet3Stack = Family.Entry("waveNet3Stack", "WaveNet (3 stacks, architecturally simplified)", 16000, 1,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(256, 32, 1, Padding.Same, Activation.Identity),
            Layer.WaveNetBlock(32, 512, 10),
            .. Repeat.Times(2, Layer.WaveNetBlock(512, 512, 10)),
            Layer.Conv2d(512, 256, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Identity),
        ],
        note: "Simplified channel flow for the three stacks: the residual-vs-skip dual output does not linearise.");

    public static readonly BestiaryEntry WaveNetMusic = Family.Entry("waveNetMusic", "WaveNet (music, single stack)", 16000, 1,
        Figure.Of("4.1M", book: "4.1M"),
        [
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Identity),
            Layer.WaveNetBlock(256, 256, 10),
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(256, 256, 1, Padding.Same, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyWaveNet = Family.Entry("tinyWaveNet", "tiny-WaveNet", 512, 1,
        Figure.NotQuoted(),
        [
            Layer.Conv2d(64, 16, 1, Padding.Same, Activation.Identity),
            Layer.WaveNetBlock(16, 64, 8),
            Layer.Conv2d(64, 32, 1, Padding.Same, Activation.Relu),
            Layer.Conv2d(32, 64, 1, Padding.Same, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [SingleStack, WaveNet3Stack, WaveNetMusic, TinyWaveNet];
}
