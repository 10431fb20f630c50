using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;
using Spec = LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Graph;

/// <summary>
/// Builds the trainable graph of a codegen-backed <see cref="NetSpec"/> out of <c>src/Vjp</c> rules only (no autograd):
/// each layer becomes a composition of Vjp rules, the parameters come out in the exact order and shapes of
/// <see cref="ParamTensors.Of(NetSpec)"/> and start at the book's He initialisation, drawn by the rules themselves
/// (<see cref="Init.He"/>, the same values as <see cref="InitialValues"/>).
/// </summary>
/// <remarks>
/// Choices that follow the book's code generator: conv2d and dense treat <c>relu6</c> as identity; conv2d pads
/// ⌊(k−1)/2⌋ at stride 1 (the Vjp conv's SAME rule, identical for the odd kernels the validator admits); convBn is
/// always followed by ReLU; flatten of a vector is a no-op.
/// </remarks>
public static class NetworkBuilder
{
    /// <summary>
    /// Validates <paramref name="spec"/> (channels and shapes, naming the layer on failure) and builds its graph on
    /// <paramref name="dtype"/> and <paramref name="device"/>. <paramref name="wrap"/>, when given, wraps each spec
    /// layer's rule as it is made (the benchmark's per-layer timer); it must not change what the rule computes.
    /// </summary>
    public static Network Build(NetSpec spec, ScalarType dtype = ScalarType.Float32, Device? device = null, ILayerWrapper? wrap = null)
    {
        ShapeInference.Infer(spec);
        if (ShapeInference.NumClasses(spec) == 0)
            throw new SpecException(spec.Name, spec.Layers.Count - 1, spec.Layers[^1],
                "the last layer must be dense (it gives the class logits)");
        device ??= CPU;
        var init = new Init(dtype, device, 0);
        var input = ShapeInference.InputShape(spec);

        HasVjp<Tensor3, Tensor3>? image = null;
        HasVjp<Tensor3, Vec>? bridge = null;
        HasVjp<Tensor3, Mat>? tokens = null;
        HasVjp<Vec, Vec>? vector = null;
        HasVjp<TA, TB> Wrap<TA, TB>(int index, HasVjp<TA, TB> rule) where TA : IValue<TA> where TB : IValue<TB> =>
            wrap is null ? rule : wrap.Wrap(index, rule);
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            string name = $"L{i}";
            bool onImage = input.Kind == ShapeKind.Image && bridge is null;
            switch (layer)
            {
                case Spec.Dense l:
                    vector = Append(vector, Wrap(i, WithActivation(new Vjp.Rules.Dense(l.FanIn, l.FanOut, init, name), l.Act)));
                    break;
                case Spec.Flatten when !onImage:
                    break;
                case Spec.Flatten:
                    bridge = Wrap(i, Pooling.Flatten());
                    break;
                case Spec.GlobalAvgPool:
                    bridge = Wrap(i, Pooling.GlobalAvgPool());
                    break;
                case Spec.PatchEmbed l when onImage:
                    tokens = Wrap(i, Vjp.Rules.PatchEmbed.Create(l.Ic, l.Dim, l.PatchSize, l.NPatches, init, name));
                    break;
                case TransformerEncoder l when tokens is not null:
                    bridge = tokens.Then(Wrap(i, TransformerBlocks.Encoder(l.Dim, l.Heads, l.MlpDim, checked((int)l.NBlocks), init)));
                    tokens = null;
                    break;
                case CustomLayer l:
                    // A rule written outside the library: on images it joins the image chain, on vectors the vector chain.
                    var rule = l.Impl.Rule(init, name);
                    if (l.ImageRule(rule) is { } imageRule && onImage && tokens is null) image = Append(image, Wrap(i, imageRule));
                    else if (rule is HasVjp<Vec, Vec> vectorRule && !onImage && tokens is null) vector = Append(
                        vector, Wrap(i, vectorRule));
                    else throw Unsupported(
                        spec, i, layer, $"its rule {rule.Label} takes {(rule is HasVjp<Vec, Vec> ? "vectors" : "images")}, "
                        + $"but it comes where the net carries {(tokens is not null ? "tokens" : onImage ? "images" : "vectors")}");
                    break;
                default:
                    if (!onImage || tokens is not null) throw Unsupported(spec, i, layer, "it needs an image input here");
                    image = Append(image, Wrap(i, ImageLayer(spec, i, layer, init, name)));
                    break;
            }
        }

        Network.IGraph graph;
        if (input.Kind == ShapeKind.Flat) graph = new Network.Graph<Vec>(vector!);
        else
        {
            var head = image is null ? bridge! : image.Then(bridge!);
            graph = new Network.Graph<Tensor3>(vector is null ? head : head.Then(vector));
        }
        if (tokens is not null)
            throw Unsupported(spec, spec.Layers.Count - 1, spec.Layers[^1], "patchEmbed's tokens need a transformerEncoder after it");
        var network = new Network(spec, graph, input, ShapeInference.NumClasses(spec));
        Bind(network, init);
        return network;
    }

    static HasVjp<Tensor3, Tensor3> ImageLayer(NetSpec spec, int index, Layer layer, Init init, string name) => layer switch
    {
        Spec.Conv2d l => WithActivation(Vjp.Rules.Conv2d.Create(l.Ic, l.Oc, l.K, 1, bias: true, init, name), l.Act),
        Spec.ConvBn l => Blocks.ConvBn(l.Ic, l.Oc, l.K, l.Stride, "relu", init, name),
        Spec.MaxPool l => new Vjp.Rules.MaxPool(l.Size, l.Stride),
        Spec.AvgPool2 => Pooling.AvgPool2(),
        ResidualBlock l => Blocks.Stage(l.Ic, l.Oc, l.NBlocks, l.FirstStride,
            (ic, oc, s, n) => Blocks.BasicBlock(ic, oc, s, init, n), name),
        BottleneckBlock l => Blocks.Stage(l.Ic, l.Oc, l.NBlocks, l.FirstStride,
            (ic, oc, s, n) => Blocks.Bottleneck(ic, oc, s, init, n), name),
        Spec.InvertedResidual l => Blocks.Stage(l.Ic, l.Oc, l.NBlocks, l.Stride,
            (ic, oc, s, n) => Blocks.InvertedResidual(ic, oc, l.Expand, s, init, n), name),
        Spec.MbConv l => Blocks.Stage(l.Ic, l.Oc, l.NBlocks, l.Stride,
            (ic, oc, s, n) => Blocks.MbConv(ic, oc, l.Expand, l.K, s, l.UseSE, init, n), name),
        Spec.MbConvV3 l => Blocks.MbConvV3(l.Ic, l.Oc, l.ExpandCh, l.K, l.Stride, l.UseSE, l.UseHSwish, init, name),
        Spec.FusedMbConv l => Blocks.Stage(l.Ic, l.Oc, l.NBlocks, l.Stride,
            (ic, oc, s, n) => Blocks.FusedMbConv(ic, oc, l.Expand, l.K, s, l.UseSE, init, n), name),
        Spec.Uib l => Blocks.Uib(l.Ic, l.Oc, l.Expand, l.Stride, l.PreDWk, l.PostDWk, init, name),
        _ => throw Unsupported(spec, index, layer, "no Vjp composition for it"),
    };

    static NotSupportedException Unsupported(NetSpec spec, int index, Layer layer, string why) =>
        new($"{spec.Name}: layer {index} ({layer.Constructor} {layer.Compact()}): cannot build a trainable graph: {why}");

    static HasVjp<T, T> Append<T>(HasVjp<T, T>? chain, HasVjp<T, T> next) where T : IValue<T> =>
        chain is null ? next : chain.Then(next);

    /// <summary>The book's code generator applies ReLU or nothing after conv2d / dense (relu6 is emitted as identity).</summary>
    static HasVjp<T, T> WithActivation<T>(HasVjp<T, T> body, Activation act) where T : IValue<T> =>
        act == Activation.Relu ? body.Then(Activations.Relu<T>()) : body;

    /// <summary>
    /// Checks the graph's parameters against the spec's tensor list (count, order, shapes) and that its rules drew the He
    /// tensors in the spec's order, so each got the seed the original gives it. Nothing is overwritten: the values are
    /// the rules' own draws from the book's initialiser (<see cref="Init.He"/>); zeros and ones are the rest.
    /// </summary>
    static void Bind(Network network, Init init)
    {
        var graph = network.VjpParameters;
        var tensors = network.Tensors;
        string spec = network.Spec.Name;
        if (graph.Count != tensors.Count)
            throw new InvalidOperationException($"{spec}: the graph has {graph.Count} parameter tensors, the spec {tensors.Count}");
        int draws = init.HeDraws.Count, he = tensors.Count(t => t.ConsumesSeed), k = 0;
        if (draws != he)
            throw new InvalidOperationException($"{spec}: the rules drew {draws} He tensors, the spec has {he} (kernels and positions)");
        for (int i = 0; i < graph.Count; i++)
        {
            if (!graph[i].Value.shape.SequenceEqual(tensors[i].Shape))
                throw new InvalidOperationException(
                    $"{spec}: parameter {i}: the graph's {graph[i].Name} is {Shapes.Format(graph[i].Value)}, "
                    + $"the spec's {tensors[i].Name} {tensors[i].ShapeText}");
            if (!tensors[i].ConsumesSeed) continue;
            var draw = init.HeDraws[k++];
            using var flat = graph[i].Value.view(-1);
            using var head = flat.narrow(0, 0, Math.Min(1L, flat.numel())).to(ScalarType.Float32, CPU); // exact: drawn as float32
            float first = head.numel() == 0 ? 0f : head.data<float>()[0];
            if (draw.FanIn != tensors[i].FanIn || !draw.Shape.SequenceEqual(tensors[i].Shape) || first != draw.First)
                throw new InvalidOperationException(
                    $"{spec}: parameter {i} ({tensors[i].Name}, {tensors[i].ShapeText}, fan-in {tensors[i].FanIn}) is not He draw #{k - 1} "
                    + $"(seed {draw.Seed}: [{string.Join(", ", draw.Shape)}], fan-in {draw.FanIn}): "
                    + "the rules draw their He tensors out of the spec's order");
        }
    }
}

/// <summary>Wraps each spec layer's rule as <see cref="NetworkBuilder.Build"/> makes it, given the layer's index.</summary>
public interface ILayerWrapper
{
    HasVjp<TA, TB> Wrap<TA, TB>(int layer, HasVjp<TA, TB> rule) where TA : IValue<TA> where TB : IValue<TB>;
}
