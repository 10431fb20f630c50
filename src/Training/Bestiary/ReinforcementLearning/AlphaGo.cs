using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ReinforcementLearning;

/// <summary>
/// AlphaGo (Silver et al. 2016): policy, value and rollout networks over 48 hand-crafted feature planes.
/// </summary>
public static class AlphaGo
{
    static readonly Family Family = new("AlphaGo", Domain.ReinforcementLearning, "Silver et al. 2016");

    /// <summary>The 13-layer conv body: a 5×5 convBn from the feature planes, then 3×3 convBn layers.</summary>
    static Layer[] Body(long planes, long channels, int layers) =>
        [Layer.ConvBn(planes, channels, 5, 1, Padding.Same), .. Repeat.Times(layers, Layer.ConvBn(channels, channels, 3, 1, Padding.Same))];

    public static readonly BestiaryEntry AlphaGoPolicyNet = Family.Entry("alphaGoPolicyNet", "AlphaGo policy network", 19, 19,
        Figure.Of("≈3.9M", book: "≈3.9M"),
        [.. Body(48, 192, 11), Layer.Conv2d(192, 1, 1, Padding.Same, Activation.Identity)]);

    public static readonly BestiaryEntry AlphaGoValueNet = Family.Entry("alphaGoValueNet", "AlphaGo value network", 19, 19,
        Figure.Of("≈4M", book: "≈4M"),
        [
            .. Body(48, 192, 11),
            Layer.Conv2d(192, 1, 1, Padding.Same, Activation.Relu),
            Layer.Flatten(),
            Layer.Dense(361, 256, Activation.Relu),
            Layer.Dense(256, 1, Activation.Identity),
        ]);

    public static readonly BestiaryEntry AlphaGoRollout = Family.Entry("alphaGoRollout", "AlphaGo rollout policy (hand-crafted linear softmax)", 19, 19,
        Figure.NotQuoted(),
        [Layer.Flatten(), Layer.Dense(361, 362, Activation.Identity)],
        note: "Hand-crafted linear softmax over the board.");

    public static readonly BestiaryEntry TinyAlphaGo = Family.Entry("tinyAlphaGo", "tiny-AlphaGo policy (9×9 board)", 9, 9,
        Figure.NotQuoted(),
        [.. Body(12, 64, 3), Layer.Conv2d(64, 1, 1, Padding.Same, Activation.Identity)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [AlphaGoPolicyNet, AlphaGoValueNet, AlphaGoRollout, TinyAlphaGo];
}
