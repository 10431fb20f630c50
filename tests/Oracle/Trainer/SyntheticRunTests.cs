using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static LeanMlirVerify.Training.Specs.Layer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>A short run on the synthetic CIFAR-shaped stand-in: the loss falls, and a step size too small to learn shows the check can
/// fail.</summary>
public class SyntheticRunTests
{
    /// <summary>convBn (BN), max-pool, flatten, dense on 3×32×32 — the CIFAR nets' kinds of layer, small.</summary>
    static readonly NetSpec Tiny = new("Tiny-Cifar",
        [ConvBn(3, 8, 3, 2, Padding.Same), MaxPool(2, 2), Flatten(), Dense(8 * 8 * 8, 10, Activation.Identity)], 32, 32);

    static (double First, double Last) Run(double lr, string dir)
    {
        var config = new TrainConfig(lr, 32, 1) { UseAdam = true, LabelSmoothing = 0.1 };
        var options = new TrainOptions { DataDir = SyntheticData.Name, OutDir = dir, MaxSteps = 24, Plot = false };
        new TrainingLoop(Tiny, config, DatasetKind.Cifar10, options).Run();
        var losses = TraceReader.Read(Path.Combine(dir, "trace.jsonl")).Steps.Select(s => s.Loss).ToList();
        Assert.Equal(24, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l), $"loss {l}"));
        return (losses.Take(6).Average(), losses.TakeLast(6).Average());
    }

    [Fact]
    public void SyntheticRun_LossFalls_AndDoesNotWhenTheStepIsTooSmall()
    {
        var dir = Directory.CreateTempSubdirectory("lmv-synthetic-").FullName;
        try
        {
            var (first, last) = Run(0.01, Path.Combine(dir, "learns"));
            Assert.True(last < 0.7 * first, $"mean loss of the first 6 steps {first}, of the last 6 {last}");
            var (frozenFirst, frozenLast) = Run(1e-9, Path.Combine(dir, "frozen"));
            Assert.False(frozenLast < 0.7 * frozenFirst, $"lr 1e-9 cannot learn: first {frozenFirst}, last {frozenLast}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
