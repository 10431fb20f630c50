using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ReinforcementLearning;

/// <summary>MuZero (Schrittwieser et al. 2020): representation, dynamics and prediction networks.</summary>
public static class MuZero
{
    static readonly Family Family = new("MuZero", Domain.ReinforcementLearning, "Schrittwieser et al. 2020",
        "The three networks are split into one spec per network head.");

    public static readonly BestiaryEntry MuZeroGoRepresentation = Family.Entry("muZeroGoRepresentation", "MuZero Go — representation h", 19, 19,
        Figure.NotQuoted(),
        [Layer.ConvBn(17, 256, 3, 1, Padding.Same), Layer.ResidualBlock(256, 256, 16, 1)]);

    public static readonly BestiaryEntry MuZeroGoDynamics = Family.Entry("muZeroGoDynamics", "MuZero Go — dynamics g (next-state path)", 19, 19,
        Figure.NotQuoted(),
        [Layer.ConvBn(257, 256, 3, 1, Padding.Same), Layer.ResidualBlock(256, 256, 16, 1)]);

    public static readonly BestiaryEntry MuZeroGoDynamicsReward = Family.Entry("muZeroGoDynamicsReward", "MuZero Go — dynamics g (reward head)", 19, 19,
        Figure.NotQuoted(),
        Backbones.ValueHead(256, 361, 128));

    public static readonly BestiaryEntry MuZeroGoPredictionPolicy = Family.Entry("muZeroGoPredictionPolicy", "MuZero Go — prediction f (policy head)", 19, 19,
        Figure.NotQuoted(),
        [Layer.ResidualBlock(256, 256, 2, 1), .. Backbones.PolicyHead(256, 2, 361, 362)]);

    public static readonly BestiaryEntry MuZeroGoPredictionValue = Family.Entry("muZeroGoPredictionValue", "MuZero Go — prediction f (value head)", 19, 19,
        Figure.NotQuoted(),
        [Layer.ResidualBlock(256, 256, 2, 1), .. Backbones.ValueHead(256, 361, 256)]);

    public static readonly BestiaryEntry MuZeroAtariRepresentation = Family.Entry("muZeroAtariRepresentation", "MuZero Atari — representation h", 96, 96,
        Figure.NotQuoted(),
        [
            Layer.ConvBn(128, 128, 3, 2, Padding.Same),
            Layer.ResidualBlock(128, 128, 2, 1),
            Layer.ConvBn(128, 256, 3, 2, Padding.Same),
            .. Repeat.Times(2, Layer.ResidualBlock(256, 256, 3, 1), Layer.MaxPool(2, 2)),
            Layer.ResidualBlock(256, 256, 3, 1),
        ]);

    public static readonly BestiaryEntry TinyMuZeroRepresentation = Family.Entry("tinyMuZeroRepresentation", "tiny MuZero — representation", 9, 9,
        Figure.NotQuoted(),
        [Layer.ConvBn(17, 64, 3, 1, Padding.Same), Layer.ResidualBlock(64, 64, 3, 1)]);

    public static readonly BestiaryEntry TinyMuZeroDynamics = Family.Entry("tinyMuZeroDynamics", "tiny MuZero — dynamics", 9, 9,
        Figure.NotQuoted(),
        [Layer.ConvBn(65, 64, 3, 1, Padding.Same), Layer.ResidualBlock(64, 64, 3, 1)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        MuZeroGoRepresentation, MuZeroGoDynamics, MuZeroGoDynamicsReward, MuZeroGoPredictionPolicy, MuZeroGoPredictionValue,
        MuZeroAtariRepresentation, TinyMuZeroRepresentation, TinyMuZeroDynamics];
}
