using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ReinforcementLearning;

/// <summary>AlphaZero (Silver et al. 2018): one two-headed residual net, written as two specs sharing the body.</summary>
public static class AlphaZero
{
    static readonly Family Family = new("AlphaZero", Domain.ReinforcementLearning, "Silver et al. 2018", "Two-headed network written as one spec per head; the shared body is counted in each.");

    public static readonly BestiaryEntry AlphaGoZeroPolicy = Family.Entry("alphaGoZeroPolicy", "AlphaGo Zero (policy head)", 19, 19,
        Figure.NotQuoted("not quoted (file doc: ≈23M)"),
        [
            Layer.ConvBn(17, 256, 3, 1, Padding.Same),
            Layer.ResidualBlock(256, 256, 19, 1),
            Layer.Conv2d(256, 2, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(722, 362, Activation.Identity),
        ]);

    public static readonly BestiaryEntry AlphaGoZeroValue = Family.Entry("alphaGoZeroValue", "AlphaGo Zero (value head)", 19, 19,
        Figure.NotQuoted("not quoted (file doc: ≈23M)"),
        [
            Layer.ConvBn(17, 256, 3, 1, Padding.Same),
            Layer.ResidualBlock(256, 256, 19, 1),
            Layer.Conv2d(256, 1, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(361, 256, Activation.Relu),
            Layer.Dense(256, 1, Activation.Identity),
        ]);

    public static readonly BestiaryEntry AlphaZeroChessPolicy = Family.Entry("alphaZeroChessPolicy", "AlphaZero chess (policy head)", 8, 8,
        Figure.NotQuoted("not quoted (file doc: ≈46M)"),
        [
            Layer.ConvBn(119, 256, 3, 1, Padding.Same),
            Layer.ResidualBlock(256, 256, 40, 1),
            Layer.Conv2d(256, 73, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(4672, 4672, Activation.Identity),
        ]);

    public static readonly BestiaryEntry AlphaZeroChessValue = Family.Entry("alphaZeroChessValue", "AlphaZero chess (value head)", 8, 8,
        Figure.NotQuoted("not quoted (file doc: ≈46M)"),
        [
            Layer.ConvBn(119, 256, 3, 1, Padding.Same),
            Layer.ResidualBlock(256, 256, 40, 1),
            Layer.Conv2d(256, 1, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(64, 256, Activation.Relu),
            Layer.Dense(256, 1, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyAlphaZeroPolicy = Family.Entry("tinyAlphaZeroPolicy", "Tiny AlphaZero (policy head)", 9, 9,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(17, 64, 3, 1, Padding.Same),
            Layer.ResidualBlock(64, 64, 3, 1),
            Layer.Conv2d(64, 2, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(162, 82, Activation.Identity),
        ]);

    public static readonly BestiaryEntry TinyAlphaZeroValue = Family.Entry("tinyAlphaZeroValue", "Tiny AlphaZero (value head)", 9, 9,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(17, 64, 3, 1, Padding.Same),
            Layer.ResidualBlock(64, 64, 3, 1),
            Layer.Conv2d(64, 1, 1, Padding.Same, Activation.Identity),
            Layer.Flatten(),
            Layer.Dense(81, 64, Activation.Relu),
            Layer.Dense(64, 1, Activation.Identity),
        ]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [AlphaGoZeroPolicy, AlphaGoZeroValue, AlphaZeroChessPolicy, AlphaZeroChessValue, TinyAlphaZeroPolicy, TinyAlphaZeroValue];
}
