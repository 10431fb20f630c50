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
}
