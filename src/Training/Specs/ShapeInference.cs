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
/// conv2d is refused: its "same" output would be one pixel short of what the original declares.
/// </summary>
public static class ShapeInference
{
    /// <summary>The layers that may open a net with an image input (the original reshapes to NCHW for these).</summary>
    static bool TakesImageInput(Layer l) => l is Conv2d or ConvBn or InvertedResidual or MbConv or PatchEmbed;

    /// <summary>The input shape the runtime feeds (facts §2.3).</summary>
    public static Shape InputShape(NetSpec spec) => spec.Layers.FirstOrDefault() switch
    {
        Dense d => Shape.Flat(d.FanIn),
        { } first when TakesImageInput(first) => Shape.Image(first.In(), spec.ImageH, spec.ImageW),
        _ => Shape.Flat((long)spec.ImageH * spec.ImageW),
    };

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
            if (!layer.IsTrainable)
                throw new SpecException(spec.Name, i, layer, $"{layer.Constructor} has no forward here (parameter accounting only), so this spec cannot be trained");
            if (ArgumentProblem(layer) is { } bad) throw new SpecException(spec.Name, i, layer, bad);
            x = Next(layer, x) ?? throw new SpecException(spec.Name, i, layer, Mismatch(layer, x, from));
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
            return problem + $"; at {data.B}×{data.C}, layer {e.LayerIndex}" + (e.Layer is null ? "" : $" ({e.Layer.Compact()})") + $": {e.Problem}";
        }
    }

    /// <summary>SAME rule: out = ceil(in/s).</summary>
    public static long Same(long size, long stride) => (size + stride - 1) / stride;

    static Shape? Next(Layer layer, Shape x)
    {
        bool image = x.Kind == ShapeKind.Image;
        switch (layer)
        {
            case Dense l: return x.Kind == ShapeKind.Flat && x.A == l.FanIn ? Shape.Flat(l.FanOut) : null;
            case Flatten: return x.Kind == ShapeKind.Tokens ? null : Shape.Flat(x.Elements);
            case GlobalAvgPool: return image ? Shape.Flat(x.A) : null;
            case MaxPool l: return image ? Shape.Image(x.A, Same(x.B, l.Stride), Same(x.C, l.Stride)) : null;
            case TransformerEncoder l: return x.Kind == ShapeKind.Tokens && x.B == l.Dim ? Shape.Flat(l.Dim) : null;
            case PatchEmbed l:
                if (!image || x.A != l.Ic || x.B % l.PatchSize != 0 || x.C % l.PatchSize != 0) return null;
                long gh = x.B / l.PatchSize, gw = x.C / l.PatchSize;
                return gh * gw == l.NPatches ? Shape.Tokens(l.NPatches + 1, l.Dim) : null;
            case Conv2d l: return image && x.A == l.Ic ? Shape.Image(l.Oc, x.B, x.C) : null;
            case Uib { PreDWk: 0, PostDWk: 0 } l: return image && x.A == l.Ic ? Shape.Image(l.Oc, x.B, x.C) : null;
            default:
                long stride = Stride(layer);
                return image && x.A == layer.In() ? Shape.Image(layer.Out(), Same(x.B, stride), Same(x.C, stride)) : null;
        }
    }

    static long Stride(Layer layer) => layer switch
    {
        ConvBn l => l.Stride, ResidualBlock l => l.FirstStride, BottleneckBlock l => l.FirstStride,
        InvertedResidual l => l.Stride, MbConv l => l.Stride, MbConvV3 l => l.Stride, FusedMbConv l => l.Stride,
        Uib l => l.Stride, _ => 1,
    };

    static string Mismatch(Layer layer, Shape x, string from) => layer switch
    {
        PatchEmbed l when x.Kind == ShapeKind.Image && x.A == l.Ic && (x.B % l.PatchSize != 0 || x.C % l.PatchSize != 0) =>
            $"patch size {l.PatchSize} does not divide the {x} input from {from}, so the patch grid would drop pixels: "
            + $"{x.B} = {x.B / l.PatchSize}·{l.PatchSize} + {x.B % l.PatchSize}, {x.C} = {x.C / l.PatchSize}·{l.PatchSize} + {x.C % l.PatchSize}",
        PatchEmbed l when x.Kind == ShapeKind.Image && x.A == l.Ic =>
            $"nPatches {l.NPatches} must equal the patch grid of the {x} input from {from}: "
            + $"floor({x.B}/{l.PatchSize})·floor({x.C}/{l.PatchSize}) = {x.B / l.PatchSize * (x.C / l.PatchSize)}",
        _ => $"needs {Expected(layer, x)} but {from} gives {x}",
    };

    static string Expected(Layer layer, Shape x) => layer switch
    {
        Dense l => $"[{l.FanIn}]" + (x.Kind == ShapeKind.Flat ? "" : " (a flat input: add flatten or globalAvgPool before it)"),
        Flatten => "an image C×H×W or a flat vector",
        GlobalAvgPool or MaxPool => "an image C×H×W",
        TransformerEncoder l => $"tokens × {l.Dim} (a patchEmbed before it)",
        _ => x.Kind == ShapeKind.Image ? $"{layer.In()}×{x.B}×{x.C} ({layer.In()} channels)" : $"{layer.In()}×H×W",
    };

    static string? ArgumentProblem(Layer layer) => layer switch
    {
        Conv2d l when l.K % 2 == 0 => $"even kernel {l.K}: conv2d pads floor((k−1)/2) at stride 1, so the output would be one pixel smaller than declared; use an odd kernel",
        Conv2d l when l.K < 1 => "kernel must be at least 1",
        ConvBn l when l.K < 1 || l.Stride < 1 => "kernel and stride must be at least 1",
        MaxPool l when l.Size < 1 || l.Stride < 1 => "size and stride must be at least 1",
        ResidualBlock l when l.FirstStride < 1 => "stride must be at least 1",
        BottleneckBlock l when l.FirstStride < 1 || l.Oc < 4 => "stride must be at least 1 and oc at least 4 (mid = oc/4)",
        InvertedResidual l when l.Stride < 1 || l.Expand < 1 => "stride and expand must be at least 1",
        MbConv l when l.Stride < 1 || l.Expand < 1 || l.K < 1 => "stride, expand and kernel must be at least 1",
        MbConvV3 l when l.Stride < 1 || l.ExpandCh < 1 || l.K < 1 => "stride, expandCh and kernel must be at least 1",
        FusedMbConv l when l.Stride < 1 || l.Expand < 1 || l.K < 1 => "stride, expand and kernel must be at least 1",
        Uib l when l.Stride < 1 || l.Expand < 1 => "stride and expand must be at least 1",
        PatchEmbed l when l.PatchSize < 1 => "patch size must be at least 1",
        TransformerEncoder l when l.Heads < 1 || l.Dim % l.Heads != 0 => $"dim {l.Dim} must split evenly over {l.Heads} heads",
        _ => null,
    };
}
