using System.Diagnostics;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using SoftmaxCrossEntropy = LeanMlirVerify.Vjp.Rules.SoftmaxCrossEntropy;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Bench;

/// <summary>
/// Medians of one gradient step (forward, softmax-CE, backward) of the hand-derived graph and of the autograd twin on
/// the same parameters and batch, measured alternately in one process after warm-up, and the compute floor: the
/// step's multiply-add work divided by this machine's float32 matmul throughput, measured in the same alternation (a
/// 1024² matmul between the steps, so a loaded machine slows the floor as it slows the steps). Peak memory: what one
/// step adds to the process's resident set at its peak (<see cref="PeakMemory"/>; CPU only, NaN elsewhere), median of
/// three untimed steps of each. <see cref="Best"/>: the same figures from the fastest sample of each (on a machine
/// shared with other work, the median carries their load; the best sample is what the step costs when it runs
/// undisturbed). <see cref="Breakdown"/>: where the hand-derived step's time goes, when asked for. <see cref="Spread"/>:
/// how widely each side's samples spread, which says whether the machine was busy.
/// </summary>
public sealed record BenchResult(string Net, int Batch, int Steps, double HandMs, double TwinMs, double StepFlops, double MatmulGflops,
    double HandPeakBytes, double TwinPeakBytes, Breakdown? Breakdown = null, BenchResult? Best = null, SampleSpread? Spread = null)
{
    /// <summary>Twin time over hand time: above 1 the hand-derived step is faster.</summary>
    public double Speedup => TwinMs / HandMs;
    public double FloorMs => double.IsNaN(StepFlops) ? double.NaN : StepFlops / (MatmulGflops * 1e9) * 1e3;
    public double HandOverFloor => HandMs / FloorMs;

    /// <summary>Tensor handles one hand-derived step creates (<see cref="OpCount"/>: its out-of-place ops).</summary>
    public long HandOps { get; init; }

    /// <summary>Tensor handles one twin step creates in .NET (its forward and returned gradients, not autograd's backward).</summary>
    public long TwinOps { get; init; }
}

/// <summary>
/// Where the hand-derived step's time goes, from a separate run of a timed copy of the graph (same parameters and
/// batch), as best samples: the medians of parts do not add up to the median of a step on a loaded machine (a
/// preemption lands in some part of most steps), the fastest samples do. Per layer, forward and pullback; the whole
/// step; the rest (the loss, zeroing the gradients and the glue between layers); the twin's forward-with-loss beside
/// its whole step (the difference is autograd's backward); and, for nets of dense layers only, the step's matrix
/// products alone at their real shapes (NaN otherwise).
/// </summary>
/// <param name="HandRestMs">
/// The fastest of each step's time outside its layers (that step's wall time minus the same step's layer times). Not
/// the fastest step minus the sum of each layer's fastest sample: on a loaded machine each layer's best comes from a
/// different step, so that difference gathered the load of every layer and showed 40 ms of "glue" in CIFAR-BN's
/// 152 ms step whose real rest was 1–2 ms.
/// </param>
public sealed record Breakdown(IReadOnlyList<LayerTime> Layers, double HandStepMs, double TwinForwardMs, double TwinStepMs,
    double GemmsMs, double HandRestMs);

public static class StepBenchmark
{
    const int FloorSize = 1024;

    public static BenchResult Run(NetSpec spec, int batch, int steps, Device? device = null, int warmup = 3, bool breakdown = false)
    {
        device ??= CPU;
        using var scope = NewDisposeScope();
        var network = NetworkBuilder.Build(spec, ScalarType.Float32, device);
        var parameters = network.VjpParameters.Select(p => p.Value).ToList();
        var gen = new Generator(11);
        var x = rand([batch, network.Input.Elements], ScalarType.Float32, generator: gen).to(device);
        var labels = randint(0, Math.Max(2, network.NumClasses), [batch], generator: gen).to(device);
        var a = rand([FloorSize, FloorSize], ScalarType.Float32, generator: gen).to(device);
        var b = rand([FloorSize, FloorSize], ScalarType.Float32, generator: gen).to(device);

        void Hand(Network net)
        {
            using var s = NewDisposeScope();
            using var g = no_grad();
            net.ZeroGrad();
            var (logits, pullback) = net.Forward(x);
            var (_, lossPullback) = new SoftmaxCrossEntropy(labels).Forward(new Vec(logits));
            pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float32, device))).T);
            Wait(device);
        }
        void Twin()
        {
            using var s = NewDisposeScope();
            _ = TwinStep.Run(spec, parameters, x, labels);
            Wait(device);
        }
        void Floor()
        {
            using var s = NewDisposeScope();
            _ = matmul(a, b);
            Wait(device);
        }

        Action[] contenders = [() => Hand(network), Twin, Floor];
        var times = contenders.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < warmup; i++)
            foreach (var c in contenders) c();
        for (int i = 0; i < steps; i++)
            foreach (var k in Order(i, contenders.Length))
                times[k].Add(Time(contenders[k]));
        var onCpu = device.type == TorchSharp.DeviceType.CPU;
        double Peak(Action step) => onCpu ? Median([.. Enumerable.Range(0, 3).Select(_ => PeakMemory.Of(step))]) : double.NaN;
        var (handPeak, twinPeak) = (Peak(contenders[0]), Peak(Twin));
        var (handOps, twinOps) = (OpCount.Of(contenders[0]), OpCount.Of(Twin));
        double Gflops(double ms) => 2.0 * FloorSize * FloorSize * FloorSize / (ms / 1e3) / 1e9;
        var flops = StepFlops(spec, batch);
        var best = new BenchResult(
            spec.Name, batch, steps, times[0].Min(), times[1].Min(), flops, Gflops(times[2].Min()), handPeak, twinPeak);
        return new(spec.Name, batch, steps, Median(times[0]), Median(times[1]), flops, Gflops(Median(times[2])), handPeak, twinPeak,
            breakdown ? Break(spec, network, batch, device, steps, warmup, Hand, Twin, TwinForward) : null, best,
            SampleSpread.Of(times[0], times[1])) { HandOps = handOps, TwinOps = twinOps };

        void TwinForward()
        {
            using var s = NewDisposeScope();
            var leaves = parameters.Select(t => t.detach().requires_grad_(true)).ToList();
            using var g = enable_grad();
            _ = TwinOps.SoftmaxCrossEntropy(AutogradTwin.Forward(spec, leaves, x), labels, 0);
            Wait(device);
        }
    }

    static Breakdown Break(
        NetSpec spec, Network network, int batch, Device device, int steps, int warmup, Action<Network> hand, Action twin,
        Action twinForward)
    {
        var timer = new LayerTimer(device);
        var timed = NetworkBuilder.Build(spec, ScalarType.Float32, device, timer);
        using (no_grad())
            foreach (var (t, p) in timed.VjpParameters.Zip(network.VjpParameters)) t.Value.copy_(p.Value);
        for (int i = 0; i < warmup; i++) hand(timed);
        timer.Clear();
        var gemms = Gemms(spec, batch, device);
        var (handTimes, twinForwardTimes, twinTimes, gemmTimes) = (
            new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var rests = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            handTimes.Add(Time(() => hand(timed)));
            rests.Add(handTimes[^1] - timer.EndStep());
            twinForwardTimes.Add(Time(twinForward));
            twinTimes.Add(Time(twin));
            if (gemms is not null) gemmTimes.Add(Time(gemms));
        }
        return new(timer.Best(), handTimes.Min(), twinForwardTimes.Min(), twinTimes.Min(), gemms is null ? double.NaN : gemmTimes.Min(),
            rests.Min());
    }

    /// <summary>
    /// The matrix products of one step of a dense-only net at their real shapes (x·W; xᵀ·dy; dy·Wᵀ except for the first
    /// layer), on random operands: what the step costs with nothing but its GEMMs. Null when the net has other layers.
    /// </summary>
    static Action? Gemms(NetSpec spec, int batch, Device device)
    {
        if (!spec.Layers.All(l => l is Dense)) return null;
        var layers = spec.Layers.Cast<Dense>().Select((d, i) => (First: i == 0, X: rand([batch, d.FanIn]).to(device),
            W: rand([d.FanIn, d.FanOut]).to(device), Dy: rand([batch, d.FanOut]).to(device))).ToList();
        return () =>
        {
            using var s = NewDisposeScope();
            foreach (var (first, x, w, dy) in layers)
            {
                _ = x.mm(w);
                _ = x.t().mm(dy);
                if (!first) _ = dy.mm(w.t());
            }
            Wait(device);
        };
    }

    /// <summary>
    /// The order of the contenders in iteration <paramref name="iteration"/>: the two steps (0, the hand-derived; 1, the
    /// twin) swap places every iteration and the rest follow them in order, so the sequence reads the same with the two
    /// steps exchanged (one iteration later) and each of the two steps sees the same history. A step's time depends on
    /// the steps before it, through the caches: MNIST-MLP at batch 1 (2026-12-05, best samples) took 0.92 ms right after
    /// the floor's 1024² matmul against 0.38 ms after the other step, and with the floor two steps back 0.43–0.55 ms
    /// where the other step took 0.32–0.37 with it three back. The plain rotation this replaces put the hand-derived step
    /// after the matmul in 2 iterations of 3 and the twin in 1, and the hand-derived step closer to it otherwise too.
    /// </summary>
    public static IEnumerable<int> Order(int iteration, int count)
    {
        for (int j = 0; j < count; j++) yield return j < 2 && count >= 2 && iteration % 2 == 1 ? 1 - j : j;
    }

    /// <summary>
    /// Waits for the device's queued work (CUDA); nothing on the CPU, whose ops return when done. Each step used to end
    /// by reading a sum of its first gradient instead: on the CPU that is a 401k-element reduction, which libtorch runs
    /// on its thread pool, and on a loaded machine a step then waited milliseconds for a descheduled worker (MNIST-MLP at
    /// batch 1, 2026-12-05: medians 7.9–9.1 ms with it, 0.69–0.72 ms without, on both sides; 22–29 µs of the best samples).
    /// </summary>
    static void Wait(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) TorchSharp.torch.cuda.synchronize(device);
    }

    static double Time(Action a)
    {
        var clock = Stopwatch.StartNew();
        a();
        return clock.Elapsed.TotalMilliseconds;
    }

    static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>
    /// 2 flops per multiply-add, three matmul-shaped products per weight layer (forward, input cotangent, weight
    /// cotangent; two for the first layer); elementwise work, pooling and BN are left out. NaN for layers this count does not cover.
    /// </summary>
    public static double StepFlops(NetSpec spec, int batch)
    {
        var shapes = ShapeInference.Infer(spec);
        double total = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var outShape = shapes[i];
            // The first layer's input cotangent is not needed for training (autograd skips it), so 2 products there.
            double products = i == 0 ? 2 : 3;
            total += products * 2 * batch * ((TrainableLayer)spec.Layers[i]).MultiplyAdds(outShape);
        }
        return total;
    }
}
