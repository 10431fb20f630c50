namespace LeanMlirVerify.Training.Specs;

public enum ShapeKind { Flat, Image, Tokens }

/// <summary>A per-sample activation shape: [n], C×H×W, or T tokens × D.</summary>
public sealed record Shape(ShapeKind Kind, long A, long B = 0, long C = 0)
{
    public static Shape Flat(long n) => new(ShapeKind.Flat, n);
    public static Shape Image(long c, long h, long w) => new(ShapeKind.Image, c, h, w);
    public static Shape Tokens(long t, long d) => new(ShapeKind.Tokens, t, d);

    public long Elements => Kind switch { ShapeKind.Flat => A, ShapeKind.Image => A * B * C, _ => A * B };

    public override string ToString() => Kind switch
    {
        ShapeKind.Flat => $"[{A}]",
        ShapeKind.Image => $"{A}×{B}×{C}",
        _ => $"{A} tokens × {B}",
    };
}

/// <summary>
/// Shapes through a trainable spec (facts §2.3–2.4), checked before anything runs. Stricter than the original in
/// three places, all deliberate: a dense layer's fanIn must equal the incoming width (the original's runtime does not
/// check), patchEmbed's nPatches must equal the patch grid, and its patch size must divide the image (the original
/// checks neither; a stride-p conv would silently drop the remainder pixels). Even-kernel
/// conv2d is refused: its "same" output would be one pixel short of what the original declares. Each constructor's
/// rule and argument checks are its own (<see cref="TrainableLayer.Next"/>, <see cref="TrainableLayer.ArgumentProblem"/>).
/// </summary>
public static class ShapeInference
{
    /// <summary>The input shape the runtime feeds (facts §2.3): what the first layer opens on; flat H·W otherwise.</summary>
    public static Shape InputShape(NetSpec spec) =>
        spec.Layers.FirstOrDefault() is TrainableLayer first
            ? first.Opening(spec.ImageH, spec.ImageW)
            : Shape.Flat((long)spec.ImageH * spec.ImageW);

    /// <summary>Number of classes: fanOut of the last layer when it is dense, else 0.</summary>
    public static long NumClasses(NetSpec spec) => spec.Layers.LastOrDefault() is Dense d ? d.FanOut : 0;

    /// <summary>
    /// Output shape of every layer (index i holds layer i's output); throws <see cref="SpecException"/> naming the layer
    /// index, constructor and both shapes when a layer cannot take its input. Every spec that passes also passes the
    /// original's channel validator (§2.5), which is run last as a cross-check.
    /// </summary>
    public static IReadOnlyList<Shape> Infer(NetSpec spec)
    {
        if (spec.Layers.Count == 0) throw new SpecException(spec.Name, 0, null, "the spec has no layers");
        if (spec.ImageH < 1 || spec.ImageW < 1)
            throw new SpecException(spec.Name, 0, spec.Layers[0], $"input size {spec.ImageH}×{spec.ImageW} must be at least 1×1");
        var shapes = new List<Shape>();
        var x = InputShape(spec);
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            string from = i == 0 ? "the input" : $"layer {i - 1} ({spec.Layers[i - 1].Compact()})";
            if (layer is not TrainableLayer trainable)
                throw new SpecException(spec.Name, i, layer,
                    $"{layer.Constructor} has no forward here (parameter accounting only), so this spec cannot be trained");
            if (trainable.ArgumentProblem() is { } bad) throw new SpecException(spec.Name, i, layer, bad);
            x = trainable.Next(x) ?? throw new SpecException(spec.Name, i, layer, trainable.Mismatch(x, from));
            shapes.Add(x);
        }
        Channels.Validate(spec);
        return shapes;
    }

    /// <summary>
    /// Null when the net takes images of shape <paramref name="data"/> (a flat-input net takes any image of its width);
    /// otherwise what does not meet, naming both sizes and, when only height and width differ, the first layer that
    /// breaks at the data's size.
    /// </summary>
    public static string? InputProblem(NetSpec spec, Shape data)
    {
        var input = InputShape(spec);
        if (data == input || (input.Kind == ShapeKind.Flat && data.Elements == input.Elements)) return null;
        string problem = $"images of {data} ({data.Elements} floats), but {spec.Name} takes {input} ({input.Elements} floats)";
        if (input.Kind != ShapeKind.Image || data.Kind != ShapeKind.Image || data.A != input.A) return problem;
        try
        {
            Infer(spec with { ImageH = checked((int)data.B), ImageW = checked((int)data.C) });
            return problem + $" (the spec is declared for {input.B}×{input.C})";
        }
        catch (SpecException e)
        {
            return problem + $"; at {data.B}×{data.C}, layer {e.LayerIndex}" + (e.Layer is null ? "" : $" ({e.Layer.Compact()})")
                + $": {e.Problem}";
        }
    }

    /// <summary>SAME rule: out = ceil(in/s).</summary>
    public static long Same(long size, long stride) => (size + stride - 1) / stride;
}
