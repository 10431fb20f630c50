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
/// step's multiply-add work divided by this machine's measured float32 matmul throughput. Peak memory: what one step
/// adds to the process's resident set at its peak (<see cref="PeakMemory"/>; CPU only, NaN elsewhere), median of
/// three untimed steps of each.
/// </summary>
public sealed record BenchResult(string Net, int Batch, int Steps, double HandMs, double TwinMs, double StepFlops, double MatmulGflops,
    double HandPeakBytes, double TwinPeakBytes)
{
    /// <summary>Twin time over hand time: above 1 the hand-derived step is faster.</summary>
    public double Speedup => TwinMs / HandMs;
    public double FloorMs => double.IsNaN(StepFlops) ? double.NaN : StepFlops / (MatmulGflops * 1e9) * 1e3;
    public double HandOverFloor => HandMs / FloorMs;
}

public static class StepBenchmark
{
    public static BenchResult Run(NetSpec spec, int batch, int steps, Device? device = null, int warmup = 3)
    {
        device ??= CPU;
        using var scope = NewDisposeScope();
        var network = NetworkBuilder.Build(spec, ScalarType.Float32, device);
        var parameters = network.VjpParameters.Select(p => p.Value).ToList();
        var gen = new Generator(11);
        var x = rand([batch, network.Input.Elements], ScalarType.Float32, generator: gen).to(device);
        var labels = randint(0, Math.Max(2, network.NumClasses), [batch], generator: gen).to(device);

        void Hand()
        {
            using var s = NewDisposeScope();
            using var g = no_grad();
            network.ZeroGrad();
            var (logits, pullback) = network.Forward(x);
            var (_, lossPullback) = new SoftmaxCrossEntropy(labels).Forward(new Vec(logits));
            pullback(lossPullback(new Vec(ones(1, 1, ScalarType.Float32, device))).T);
            _ = network.Grads[0].sum().item<float>(); // wait for the work, as the twin's .item does
        }
        void Twin()
        {
            using var s = NewDisposeScope();
            var (_, grads) = TwinStep.Run(spec, parameters, x, labels);
            _ = grads[0].sum().item<float>();
        }
        for (int i = 0; i < warmup; i++) { Hand(); Twin(); }
        var (hand, twin) = (new List<double>(), new List<double>());
        for (int i = 0; i < steps; i++)
        {
            // Alternate which goes first so drift in machine load falls on both.
            if (i % 2 == 0) { hand.Add(Time(Hand)); twin.Add(Time(Twin)); }
            else { twin.Add(Time(Twin)); hand.Add(Time(Hand)); }
        }
        var onCpu = device.type == TorchSharp.DeviceType.CPU;
        double Peak(Action step) => onCpu ? Median([.. Enumerable.Range(0, 3).Select(_ => PeakMemory.Of(step))]) : double.NaN;
        var (handPeak, twinPeak) = (Peak(Hand), Peak(Twin));
        return new(spec.Name, batch, steps, Median(hand), Median(twin), StepFlops(spec, batch), MatmulGflops(device), handPeak, twinPeak);
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
            total += spec.Layers[i] switch
            {
                Dense d => products * 2 * batch * d.FanIn * d.FanOut,
                Conv2d c => products * 2 * batch * outShape.B * outShape.C * c.Oc * c.Ic * c.K * c.K,
                ConvBn c => products * 2 * batch * outShape.B * outShape.C * c.Oc * c.Ic * c.K * c.K,
                MaxPool or Flatten or GlobalAvgPool => 0,
                _ => double.NaN,
            };
        }
        return total;
    }

    /// <summary>Best of several 1024×1024 float32 matmuls on this device, in GFLOP/s.</summary>
    public static double MatmulGflops(Device device)
    {
        using var scope = NewDisposeScope();
        var a = rand([1024, 1024], ScalarType.Float32).to(device);
        var b = rand([1024, 1024], ScalarType.Float32).to(device);
        double best = double.MaxValue;
        for (int i = 0; i < 8; i++)
            best = Math.Min(best, Time(() => _ = matmul(a, b).sum().item<float>()));
        return 2.0 * 1024 * 1024 * 1024 / (best / 1e3) / 1e9;
    }
}
