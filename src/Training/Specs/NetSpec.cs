namespace LeanMlirVerify.Training.Specs;

/// <summary>Nonlinearity after a plain conv or dense layer. The original emits <see cref="Relu6"/> as identity there (§9.7).</summary>
public enum Activation { Relu, Relu6, Identity }

/// <summary>Padding argument of conv2d / convBn. Both constructors ignore it (conv2d pads floor((k−1)/2), convBn SAME).</summary>
public enum Padding { Same, Valid }

/// <summary>Which of the book's three dataset layouts a run reads.</summary>
public enum DatasetKind { Mnist, Cifar10, Imagenette }

/// <summary>
/// A network as data, exactly like the book's listing: a display name, the layers applied left to right, and the
/// input height and width (sequence length and 1 for the bestiary's sequence models).
/// </summary>
public sealed record NetSpec(string Name, IReadOnlyList<Layer> Layers, int ImageH = 28, int ImageW = 28)
{
    /// <summary>Lower-case name with every non-alphanumeric character replaced by '_' (build-artefact names).</summary>
    public string SanitizedName =>
        new(Name.ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());

    /// <summary>The same spec under another name (the ablation runner appends "-&lt;ablation&gt;").</summary>
    public NetSpec Renamed(string name) => this with { Name = name };

    public bool Equals(NetSpec? other) =>
        other is not null && Name == other.Name && ImageH == other.ImageH && ImageW == other.ImageW
        && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode() => HashCode.Combine(Name, ImageH, ImageW, Layers.Count);
}
