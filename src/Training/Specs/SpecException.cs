namespace LeanMlirVerify.Training.Specs;

/// <summary>A spec that cannot run: names the layer index, the constructor and what does not meet.</summary>
public sealed class SpecException(string specName, int layerIndex, Layer? layer, string problem)
    : Exception($"{specName}: layer {layerIndex}{(layer is null ? "" : $" ({layer.Constructor} {layer.Compact()})")}: {problem}")
{
    public string SpecName { get; } = specName;
    public int LayerIndex { get; } = layerIndex;
    public Layer? Layer { get; } = layer;
    public string Problem { get; } = problem;
}
