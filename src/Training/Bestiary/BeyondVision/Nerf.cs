using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>
/// NeRF (Mildenhall et al. 2020): positional encoding + one MLP (definitions 97, 98); rendering lives in the loss.
/// </summary>
public static class Nerf
{
    static readonly Family Family = new("NeRF", Domain.BeyondVision, "Mildenhall et al. 2020");

    public static readonly BestiaryEntry Canonical = Family.Entry("nerf", "NeRF (canonical)", 1, 1,
        Figure.Of("593K (under 600K)", book: "593K"),
        [Layer.PositionalEncoding(3, 10), Layer.NerfMlp(60, 16, 256)]);

    public static readonly BestiaryEntry NerfFast = Family.Entry("nerfFast", "NeRF-fast (hidden=128)", 1, 1,
        Figure.Of("167K", book: "167K"),
        [Layer.PositionalEncoding(3, 10), Layer.NerfMlp(60, 16, 128)]);

    public static readonly BestiaryEntry TinyNeRF = Family.Entry("tinyNeRF", "tiny-NeRF", 1, 1,
        Figure.NotQuoted(),
        [Layer.PositionalEncoding(3, 4), Layer.NerfMlp(24, 8, 64)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [Canonical, NerfFast, TinyNeRF];
}
