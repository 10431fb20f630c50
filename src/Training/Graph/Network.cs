using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Graph;

/// <summary>
/// A spec's trainable graph (built by <see cref="NetworkBuilder"/>): flat input batch [B, D] → logits [B, K]. The
/// parameters are the graph's own tensors, in <see cref="ParamTensors"/> order; the optimizer updates them in place.
/// BN running statistics live in the graph's <see cref="BnNormalize"/> nodes, in BN-collection order.
/// </summary>
public sealed class Network
{
    readonly IGraph graph;

    internal Network(NetSpec spec, IGraph graph, Shape input, long numClasses)
    {
        Spec = spec;
        this.graph = graph;
        Input = input;
        NumClasses = numClasses;
        Tensors = ParamTensors.Of(spec);
        BnLayers = ParamTensors.BnLayers(spec);
        VjpParameters = graph.Root.Parameters.ToList();
        BatchNorms = graph.Root.Walk().OfType<BnNormalize>().ToList();
        if (BatchNorms.Count != BnLayers.Count)
            throw new InvalidOperationException(
                $"{spec.Name}: the graph has {BatchNorms.Count} batch norms, the spec collects {BnLayers.Count}");
    }

    public NetSpec Spec { get; }

    /// <summary>Per-sample input shape the runtime feeds (flat [D], or C×H×W for conv-first nets).</summary>
    public Shape Input { get; }

    public long NumClasses { get; }

    /// <summary>The root of the composed rules (its <c>Describe()</c> lists the ledger items the backward rests on).</summary>
    public IVjpNode Root => graph.Root;

    /// <summary>What the spec says about each parameter tensor (name, shape, role), aligned with <see cref="VjpParameters"/>.</summary>
    public IReadOnlyList<ParamTensor> Tensors { get; }

    /// <summary>The graph's parameters (value and gradient), in tensor order.</summary>
    public IReadOnlyList<Parameter> VjpParameters { get; }

    public IReadOnlyList<BnLayer> BnLayers { get; }
    public IReadOnlyList<BnNormalize> BatchNorms { get; }

    /// <summary>The optimizer's view: each spec tensor bound to the graph's own value tensor (shared, not copied).</summary>
    public IReadOnlyList<Optim.NetParameter> OptimizerParameters() =>
        Tensors.Zip(VjpParameters, (t, p) => new Optim.NetParameter(t, p.Value)).ToList();

    public IReadOnlyList<Tensor> Grads => VjpParameters.Select(p => p.Grad).ToList();

    /// <summary>Training mode normalises with batch statistics (and updates the running ones); evaluation with the running ones.</summary>
    public bool Training
    {
        set
        {
            foreach (var bn in BatchNorms) bn.Training = value;
        }
    }

    // Over the cached list: Root.ZeroGrad() walks the rule tree by nested enumerators, 2 µs and 1 KB a step for an MLP.
    public void ZeroGrad()
    {
        foreach (var p in VjpParameters) p.ZeroGrad();
    }

    /// <summary>
    /// Logits for a flat batch [B, D] and the pullback that takes dlogits and accumulates every parameter's gradient.
    /// The input is data, so the pullback computes no input cotangent (the first layer's dx, which training never reads).
    /// </summary>
    public (Tensor Logits, Action<Tensor> Pullback) Forward(Tensor x)
    {
        var (logits, pullback) = graph.Forward(Shaped(x), inputCotangent: false);
        return (logits, dy => pullback(dy));
    }

    /// <summary>
    /// As <see cref="Forward"/>, but the pullback also returns dx, the cotangent of the flat input batch (x's shape):
    /// for checks on the input (an adjoint test of the whole network); it costs the first layer's input cotangent.
    /// </summary>
    public (Tensor Logits, Func<Tensor, Tensor> Pullback) ForwardWithInputCotangent(Tensor x)
    {
        var (logits, pullback) = graph.Forward(Shaped(x), inputCotangent: true);
        return (logits, dy => pullback(dy)!.reshape(x.shape)); // a cropped dx (strided stem) is a view, not contiguous
    }

    /// <summary>Logits only (no pullback kept).</summary>
    public Tensor Apply(Tensor x) => graph.Forward(Shaped(x), inputCotangent: false).Logits;

    Tensor Shaped(Tensor x) => Input.Kind == ShapeKind.Image ? x.view(x.shape[0], Input.A, Input.B, Input.C) : x;

    internal interface IGraph
    {
        IVjpNode Root { get; }
        /// <summary>The pullback returns dx when <paramref name="inputCotangent"/> is set, else null.</summary>
        (Tensor Logits, Func<Tensor, Tensor?> Pullback) Forward(Tensor x, bool inputCotangent);
    }

    internal sealed class Graph<TIn>(HasVjp<TIn, Vec> body) : IGraph where TIn : IValue<TIn>
    {
        public IVjpNode Root => body;

        public (Tensor Logits, Func<Tensor, Tensor?> Pullback) Forward(Tensor x, bool inputCotangent)
        {
            var (y, pullback) = body.Forward(TIn.Wrap(x), inputCotangent);
            return (y.T, dy => pullback(new Vec(dy)).T);
        }
    }
}
