using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.ReinforcementLearning;

/// <summary>
/// AlphaZero (Silver et al. 2018): one two-headed residual net, written as two specs sharing the body.
/// </summary>
public static class AlphaZero
{
    static readonly Family Family = new("AlphaZero", Domain.ReinforcementLearning, "Silver et al. 2018",
        "Two-headed network written as one spec per head; the shared body is counted in each.");

    /// <summary>The shared body: a 3×3 convBn from the input planes, then a stack of residual blocks.</summary>
    static Layer[] Body(long planes, long channels, long blocks) =>
        [Layer.ConvBn(planes, channels, 3, 1, Padding.Same), Layer.ResidualBlock(channels, channels, blocks, 1)];

    public static readonly BestiaryEntry AlphaGoZeroPolicy = Family.Entry("alphaGoZeroPolicy", "AlphaGo Zero (policy head)", 19, 19,
        Figure.NotQuoted("not quoted (file doc: ≈23M)"),
        [.. Body(17, 256, 19), .. Backbones.PolicyHead(256, 2, 361, 362)]);

    public static readonly BestiaryEntry AlphaGoZeroValue = Family.Entry("alphaGoZeroValue", "AlphaGo Zero (value head)", 19, 19,
        Figure.NotQuoted("not quoted (file doc: ≈23M)"),
        [.. Body(17, 256, 19), .. Backbones.ValueHead(256, 361, 256)]);

    public static readonly BestiaryEntry AlphaZeroChessPolicy = Family.Entry("alphaZeroChessPolicy", "AlphaZero chess (policy head)", 8, 8,
        Figure.NotQuoted("not quoted (file doc: ≈46M)"),
        [.. Body(119, 256, 40), .. Backbones.PolicyHead(256, 73, 64, 4672)]);

    public static readonly BestiaryEntry AlphaZeroChessValue = Family.Entry("alphaZeroChessValue", "AlphaZero chess (value head)", 8, 8,
        Figure.NotQuoted("not quoted (file doc: ≈46M)"),
        [.. Body(119, 256, 40), .. Backbones.ValueHead(256, 64, 256)]);

    public static readonly BestiaryEntry TinyAlphaZeroPolicy = Family.Entry("tinyAlphaZeroPolicy", "Tiny AlphaZero (policy head)", 9, 9,
        Figure.NotQuoted(),
        [.. Body(17, 64, 3), .. Backbones.PolicyHead(64, 2, 81, 82)]);

    public static readonly BestiaryEntry TinyAlphaZeroValue = Family.Entry("tinyAlphaZeroValue", "Tiny AlphaZero (value head)", 9, 9,
        Figure.NotQuoted(),
        [.. Body(17, 64, 3), .. Backbones.ValueHead(64, 81, 64)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        AlphaGoZeroPolicy, AlphaGoZeroValue, AlphaZeroChessPolicy, AlphaZeroChessValue, TinyAlphaZeroPolicy, TinyAlphaZeroValue];
}
