namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// A spec file as read (<see cref="SpecFile.Read"/>): the net, the dataset it trains on when the file names one, its recipe
/// (the file's <c>recipe:</c> keys over the dataset's default, <see cref="SpecFile.DefaultRecipe"/>) and the plugin
/// assemblies its custom layers come from (full paths).
/// </summary>
public sealed record SpecDocument(string Path, NetSpec Spec, DatasetKind? Dataset, TrainConfig Recipe, IReadOnlyList<string> Plugins)
{
    /// <summary>The name runs go under (runs/&lt;name&gt;): the file's name without its extension.</summary>
    public string RunName => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The layers written outside the library, with their index in the spec.</summary>
    public IEnumerable<(int Index, CustomLayer Layer)> CustomLayers =>
        Spec.Layers.Select((l, i) => (i, l)).Where(p => p.l is CustomLayer).Select(p => (p.i, (CustomLayer)p.l));
}
