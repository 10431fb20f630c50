namespace LeanMlirVerify.Training.Specs;

/// <summary>One row of the per-layer accounting table (<c>lmv params</c>); index −1 is the input.</summary>
public sealed record LayerRow(int Index, string Layer, string Output, long? Params, string Bn);

/// <summary>
/// The accounting of a spec as the facts sheet tabulates it: per layer the compact notation, output shape, parameter
/// count and BN layers (channels listed up to three, else their sum), then the totals.
/// </summary>
public sealed record SpecReport(
    NetSpec Spec, IReadOnlyList<LayerRow> Rows, long TotalParams, int BnLayers, long BnStatFloats, int Tensors, bool Trainable)
{
    /// <summary>Validates first (shape inference for trainable specs, the channel validator for the rest).</summary>
    public static SpecReport Of(NetSpec spec)
    {
        bool trainable = spec.Layers.All(l => l.IsTrainable);
        IReadOnlyList<Shape>? shapes = trainable ? ShapeInference.Infer(spec) : null;
        if (!trainable) Channels.Validate(spec);
        var rows = new List<LayerRow> { new(-1, "input", trainable ? ShapeInference.InputShape(spec).ToString() : "—", null, "—") };
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            rows.Add(
                new LayerRow(i, layer.Compact(), shapes?[i].ToString() ?? "—", layer.NParams(), BnText(ParamTensors.BnLayers(layer))));
        }
        var bn = ParamTensors.BnLayers(spec);
        return new SpecReport(
            spec, rows, spec.TotalParams(), bn.Count, ParamTensors.BnStatFloats(spec), ParamTensors.Of(spec).Count, trainable);
    }

    static string BnText(IReadOnlyList<BnLayer> bn) => bn.Count switch
    {
        0 => "—",
        <= 3 => $"{bn.Count} ({string.Join(", ", bn.Select(b => b.Channels))})",
        _ => $"{bn.Count} (Σch={bn.Sum(b => b.Channels)})",
    };
}
