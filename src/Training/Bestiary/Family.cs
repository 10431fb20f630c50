using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>
/// One chapter-11 entry (one Lean file of the original): its domain, the paper it follows, and the approximation its
/// specs share when the linear layer list cannot express the architecture faithfully.
/// </summary>
public sealed record Family(string Name, Domain Domain, string Reference, string? Note = null)
{
    /// <summary>A spec of this family; <paramref name="note"/> replaces the family's note when given.</summary>
    public BestiaryEntry Entry(string id, string name, int imageH, int imageW, Figure figure, IReadOnlyList<Layer> layers,
        string? note = null) => new(id, this, new NetSpec(name, layers, imageH, imageW), figure, note ?? Note);
}

/// <summary>
/// A bestiary spec: the original's identifier, the spec itself (its input size is metadata, see netspec facts §6),
/// the figure the book quotes for it, and the approximation note, if any.
/// </summary>
public sealed record BestiaryEntry(string Id, Family Family, NetSpec Spec, Figure Figure, string? Note)
{
    public string Name => Spec.Name;
    public Domain Domain => Family.Domain;
    public long Params => Spec.TotalParams();
}

/// <summary>Repeated layers in a listing, e.g. <c>.. Repeat.Times(11, Layer.ConvBn(192, 192, 3, 1, Padding.Same))</c>.</summary>
public static class Repeat
{
    public static IEnumerable<Layer> Times(int n, params Layer[] block) => Enumerable.Repeat(block, n).SelectMany(b => b);

    /// <summary>
    /// A staged body as the papers tabulate it (widths and depths per stage): stage i's layer, preceded for every
    /// stage but the first by the transition from the previous stage's width (a downsample or patch merge).
    /// </summary>
    /// <summary>One layer per width, each from the previous width (the first from <paramref name="ic"/>); i is the stage index.</summary>
    public static IEnumerable<Layer> Chain(long ic, IReadOnlyList<long> widths, Func<long, long, int, Layer> layer) =>
        widths.Select((w, i) => layer(i == 0 ? ic : widths[i - 1], w, i));

    public static IEnumerable<Layer> Stages(IReadOnlyList<long> widths, Func<int, Layer> stage, Func<long, long, Layer> transition) =>
        widths.SelectMany((w, i) => i == 0 ? [stage(0)] : new[] { transition(widths[i - 1], w), stage(i) });
}
