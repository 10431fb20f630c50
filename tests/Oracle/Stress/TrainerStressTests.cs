using LeanMlirVerify.Oracle.Trainer;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// The training loop end to end while another thread forces garbage collections and finalizers: every optimizer
/// (AdamW, SGD with momentum, plain SGD, each with weight decay but the issue's own recipe), every schedule (constant,
/// cosine with and without warmup), label smoothing, BN running statistics, evaluation after every epoch, checkpoint
/// save, and a run stopped mid-epoch then resumed from its checkpoint (load); the hand-derived backward and the autograd
/// twin. Tiny IDX data (64 training, 40 test images, batch 16), so a whole run takes well under a second.
/// </summary>
[Trait("Category", "Stress")]
public class TrainerStressTests(ITestOutputHelper output)
{
    /// <summary>ConvBn then a stride-2 residual stage with a projection shortcut: four BN layers and a fan-in.</summary>
    static NetSpec Residual => new("Tiny-Residual", [
        Layer.ConvBn(1, 4, 3, 1, Padding.Same), Layer.ResidualBlock(4, 8, 1, 2), Layer.GlobalAvgPool(),
        Layer.Dense(8, 10, Activation.Identity),
    ]);

    static readonly Dictionary<string, (NetSpec Spec, TrainConfig Config, bool Autograd)> Runs = new()
    {
        // The net (the book's chapter-3 MLP) with its recipe's optimizer: SGD, momentum 0.9, constant rate.
        ["mnist-mlp sgd-momentum constant"] = (PartOneSpecs.MnistMlp, new TrainConfig(0.05, 16, 2), false),
        ["convbn adamw decay cosine-warmup"] = (TinyData.ConvBn,
            new TrainConfig(0.01, 16, 3) { UseAdam = true, WeightDecay = 1e-4, CosineDecay = true, WarmupEpochs = 1 }, false),
        ["residual plain-sgd decay cosine smoothing"] = (Residual,
            new TrainConfig(0.05, 16, 3) { Momentum = 0, WeightDecay = 5e-4, CosineDecay = true, LabelSmoothing = 0.1 }, false),
        ["convbn sgd-momentum decay autograd-twin"] = (TinyData.ConvBn, new TrainConfig(0.02, 16, 2) { WeightDecay = 1e-4 }, true),
    };

    public static TheoryData<string> Names => [.. Runs.Keys];

    /// <summary>A whole run, then a run stopped at step 5 (mid-epoch) and resumed: traces, outputs, checkpoints, accuracy.</summary>
    internal static Fingerprint Train(string name)
    {
        var (spec, config, autograd) = Runs[name];
        using var data = new TinyData();
        var numbers = new Fingerprint();
        var full = new TrainingLoop(spec, config, DatasetKind.Mnist, data.Options("full") with { Autograd = autograd }).Run();
        new TrainingLoop(spec, config, DatasetKind.Mnist, data.Options("part") with { Autograd = autograd, MaxSteps = 5 }).Run();
        var resumed = new TrainingLoop(spec, config, DatasetKind.Mnist,
            data.Options("part") with { Autograd = autograd, ResumePath = data.Out("part/checkpoint.lmvckpt") }).Run();
        Assert.Equal(config.Epochs * 4, full.Steps);
        Assert.Equal(full.Steps, resumed.Steps);
        foreach (var run in new[] { "full", "part" })
        {
            var lines = File.ReadAllLines(data.Out($"{run}/trace.jsonl"));
            for (int i = 1; i < lines.Length; i++) numbers.Add($"{run} trace line {i + 1}", lines[i]);
            foreach (var file in Directory.GetFiles(data.Out(run)).Where(f => !f.EndsWith(".jsonl")).Order())
                numbers.Add($"{run}/{Path.GetFileName(file)}", File.ReadAllBytes(file));
        }
        numbers.Add("full: correct of 40", full.Correct);
        numbers.Add("resumed: correct of 40", resumed.Correct);
        return numbers;
    }

    [Theory, MemberData(nameof(Names))]
    public void TrainingRun_SameTraceOutputsAndCheckpointsUnderGcStress(string name) =>
        StressRun.Compare(() => Train(name), output);
}

/// <summary>The soak's share of the trainer: each run repeated under stress for 20 s (docs/reliability.md).</summary>
[Trait("Category", "Soak")]
public class TrainerSoakTests(ITestOutputHelper output)
{
    [SoakTheory, MemberData(nameof(TrainerStressTests.Names), MemberType = typeof(TrainerStressTests))]
    public void TrainingRun_SameTraceOutputsAndCheckpointsUnderLongGcStress(string name) =>
        StressRun.Compare(() => TrainerStressTests.Train(name), output, TimeSpan.FromSeconds(20));
}
