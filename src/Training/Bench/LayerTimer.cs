using System.Diagnostics;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Bench;

/// <summary>Best (fastest) wall time of one spec layer's forward and of its pullback in the hand-derived step.</summary>
public sealed record LayerTime(int Layer, string Label, double ForwardMs, double PullbackMs);

/// <summary>
/// Times every spec layer of a hand-derived graph: passed to <see cref="NetworkBuilder.Build"/>, it wraps each layer's
/// rule in a node that runs the rule unchanged and adds the wall time of its forward and of its pullback to that
/// layer's clock (after a device synchronisation on CUDA, where ops return before they finish).
/// </summary>
public sealed class LayerTimer(Device device) : ILayerWrapper
{
    readonly SortedDictionary<int, Clock> clocks = [];

    public HasVjp<TA, TB> Wrap<TA, TB>(int layer, HasVjp<TA, TB> rule) where TA : IValue<TA> where TB : IValue<TB>
    {
        var clock = clocks[layer] = new Clock(rule.Label, device.type == TorchSharp.DeviceType.CUDA);
        return new Timed<TA, TB>(rule, clock);
    }

    /// <summary>
    /// Closes one step: each layer's times since the last call become one sample. Returns their sum, the step's time
    /// inside its layers, so that the rest of that same step can be told apart from the layers.
    /// </summary>
    public double EndStep()
    {
        var inLayers = clocks.Values.Sum(c => c.Running);
        foreach (var c in clocks.Values) c.EndStep();
        return inLayers;
    }

    /// <summary>Drops every sample and running time (after warm-up).</summary>
    public void Clear()
    {
        foreach (var c in clocks.Values) c.Clear();
    }

    /// <summary>Per layer, the fastest of the samples taken so far (each part's cost with the machine's other load least in it).</summary>
    public IReadOnlyList<LayerTime> Best() =>
        [.. clocks.Select(p => new LayerTime(p.Key, p.Value.Label, p.Value.Forwards.Min(), p.Value.Pullbacks.Min()))];

    sealed class Clock(string label, bool cuda)
    {
        double forward, pullback;
        public string Label => label;
        public double Running => forward + pullback;
        public List<double> Forwards { get; } = [];
        public List<double> Pullbacks { get; } = [];

        public T Forward<T>(Func<T> run) => Time(run, ref forward);
        public T Pullback<T>(Func<T> run) => Time(run, ref pullback);

        public void EndStep()
        {
            Forwards.Add(forward);
            Pullbacks.Add(pullback);
            (forward, pullback) = (0, 0);
        }

        public void Clear()
        {
            Forwards.Clear();
            Pullbacks.Clear();
            (forward, pullback) = (0, 0);
        }

        T Time<T>(Func<T> run, ref double total)
        {
            var start = Stopwatch.GetTimestamp();
            var result = run();
            if (cuda) TorchSharp.torch.cuda.synchronize();
            total += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return result;
        }
    }

    sealed class Timed<TA, TB>(HasVjp<TA, TB> inner, Clock clock) : HasVjp<TA, TB>(inner.Item, inner.Label)
        where TA : IValue<TA> where TB : IValue<TB>
    {
        public override IReadOnlyList<IVjpNode> Children => [inner];

        protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) => Run(x, inputCotangent: true);

        protected override (TB y, Pullback<TA, TB> pullback) Run(TA x, bool inputCotangent)
        {
            var (y, pullback) = clock.Forward(() => inner.Forward(x, inputCotangent));
            return (y, dy => clock.Pullback(() => pullback(dy)));
        }
    }
}
