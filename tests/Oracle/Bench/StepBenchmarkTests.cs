using LeanMlirVerify.Training.Bench;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Bench;

/// <summary>What the benchmark reports, checked on tiny nets; its speed figures are benchmarks, never asserted here.</summary>
public class StepBenchmarkTests
{
    static readonly NetSpec Tiny = new("tiny", [Layer.Dense(784, 16, Activation.Relu), Layer.Dense(16, 10, Activation.Identity)]);

    [Fact]
    public void MnistMlpStepFlops_CountsTwoProductsForTheFirstLayerAndThreeAfter()
    {
        double expected = 2.0 * 2 * 128 * 784 * 512 + 3.0 * 2 * 128 * 512 * 512 + 3.0 * 2 * 128 * 512 * 10;
        Assert.Equal(expected, StepBenchmark.StepFlops(NetCatalog.Find("mnist-mlp")!.Spec, 128));
    }

    [Fact]
    public void StepFlops_IsNotANumberForLayersItDoesNotCount() =>
        Assert.True(double.IsNaN(StepBenchmark.StepFlops(NetCatalog.Find("vit-tiny")!.Spec, 2)));

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Order_GivesTheTwoStepsTheSameHistory(int count)
    {
        var sequence = Enumerable.Range(0, 8).SelectMany(i => StepBenchmark.Order(i, count)).ToList();
        Assert.All(Enumerable.Range(0, 8),
            i => Assert.Equal(Enumerable.Range(0, count), sequence.Skip(i * count).Take(count).Order()));
        // Exchanging the hand-derived step (0) and the twin (1) gives the same sequence one iteration later, so whatever
        // comes before one of them (the floor's matmul, the other step) comes as often and as far before the other.
        var swapped = sequence.Select(k => k < 2 ? 1 - k : k);
        Assert.Equal(sequence.Skip(count), swapped.Take(sequence.Count - count));
        // Read cyclically: the sequence repeats every two iterations.
        int Follows(int a, int b) => sequence.Zip(sequence.Skip(1).Append(sequence[0])).Count(p => p == (a, b));
        Assert.Equal(Follows(count - 1, 0), Follows(count - 1, 1));
        Assert.Equal(Follows(1, 0), Follows(0, 1));
    }

    [Fact]
    public void Run_MeasuresBothPipelinesOnTheSameBatch()
    {
        var r = StepBenchmark.Run(Tiny, batch: 4, steps: 3, warmup: 1);
        Assert.True(r.HandMs > 0 && r.TwinMs > 0 && r.MatmulGflops > 0, r.ToString());
        Assert.Equal(r.TwinMs / r.HandMs, r.Speedup, 12);
        Assert.Null(r.Breakdown);
        Assert.True(r.Spread is { Hand: >= 0, Twin: >= 0 }, r.ToString());
        if (OperatingSystem.IsLinux()) Assert.True(r.HandPeakBytes >= 0 && r.TwinPeakBytes >= 0, r.ToString());
    }

    [Fact]
    public void Breakdown_TimesEveryLayerAndLeavesAFiniteRest()
    {
        var b = StepBenchmark.Run(Tiny, batch: 4, steps: 3, warmup: 1, breakdown: true).Breakdown!;
        Assert.Equal([0, 1], b.Layers.Select(l => l.Layer));
        Assert.All(b.Layers, l => Assert.True(l.ForwardMs > 0 && l.PullbackMs > 0, l.ToString()));
        Assert.True(b.HandRestMs >= 0 && b.HandRestMs <= b.HandStepMs && b.TwinForwardMs > 0 && b.TwinStepMs > 0, b.ToString());
    }

    [Fact]
    public void LayerTimer_LeavesTheGradientsUnchanged()
    {
        using var scope = NewDisposeScope();
        var plain = NetworkBuilder.Build(NetCatalog.Find("mnist-cnn")!.Spec, ScalarType.Float64);
        var timed = NetworkBuilder.Build(NetCatalog.Find("mnist-cnn")!.Spec, ScalarType.Float64, wrap: new LayerTimer(CPU));
        var x = rand([2, plain.Input.Elements], ScalarType.Float64, generator: new Generator(3));
        foreach (var network in new[] { plain, timed })
        {
            network.ZeroGrad();
            var (logits, pullback) = network.Forward(x);
            pullback(logits.sin());
        }
        Assert.Equal(plain.Root.Describe().Items(), timed.Root.Describe().Items());
        for (var i = 0; i < plain.Grads.Count; i++)
            Assert.True((plain.Grads[i] - timed.Grads[i]).abs().max().item<double>() == 0, plain.Tensors[i].Name);
    }

    [Fact]
    public void PeakMemory_SeesWhatTheCallTouchesAndNotWhatItDoesNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.True(double.IsNaN(PeakMemory.Of(() => { })));
            return;
        }
        const long mib = 1 << 20;
        var touched = PeakMemory.Of(() => { using var t = ones(64 * mib / 4); _ = t.sum().item<float>(); });
        var nothing = PeakMemory.Of(() => { });
        Assert.InRange(touched, 60.0 * mib, 256.0 * mib);
        Assert.InRange(nothing, 0, 8.0 * mib);
    }
}
