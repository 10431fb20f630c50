using System.Text.RegularExpressions;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>The ablation runner: every registry name resolves, a short run writes the trainer's log, unknown names list the
/// known.</summary>
public class AblationRunnerTests
{
    static readonly string[] LeaveOneOut = [
        "r34-no-adam", "r34-no-cosine", "r34-no-warmup", "r34-no-wd", "r34-no-smooth", "r34-no-aug", "r34-bare"];

    [Fact]
    public void EveryRegistryName_Resolves_ToItsEntry()
    {
        Assert.All(Ablation.All, a => Assert.Same(a, AblationRunner.Resolve(a.Name)));
        Assert.All(LeaveOneOut.Append("r34-full"), n => Assert.Equal(PartOneSpecs.ResNet34, AblationRunner.Resolve(n).Spec));
        Assert.All(AblationRunner.BookAccuracy.Keys, n => AblationRunner.Resolve(n));
    }

    /// <summary>The s4tfBaseline runs (SGD lr 0.1, batch 128, nothing else) and the seven leave-one-out ResNet-34 runs.</summary>
    [Fact]
    public void BaselineRuns_AndLeaveOneOut_HaveTheBooksConfigs()
    {
        string[] baseline = [
            "linear-sgd", "shallow-sgd", "mlp-sgd", "cnn-nobn-sgd", "cnn-bn-sgd", "cnn-lite-nobn-sgd", "cnn-lite-bn-sgd", "cifar-nobn-sgd",
            "cifar-bn-sgd"];
        foreach (var c in baseline.Select(n => AblationRunner.Resolve(n).Config))
            Assert.Equal(
                (0.1, 128, false, 0.0, false, false, 0.0),
                (c.LearningRate, c.BatchSize, c.UseAdam, c.WeightDecay, c.CosineDecay, c.Augment, c.LabelSmoothing));
        var full = AblationRunner.Resolve("r34-full").Config;
        var changed = LeaveOneOut.Take(6).Select(n => Differences(full, AblationRunner.Resolve(n).Config)).ToList();
        Assert.Equal(
            [["UseAdam", "LearningRate"], ["CosineDecay"], ["WarmupEpochs"], ["WeightDecay"], ["LabelSmoothing"], ["Augment"]], changed);
        Assert.Equal(7, Differences(full, AblationRunner.Resolve("r34-bare").Config).Count);
    }

    static List<string> Differences(TrainConfig a, TrainConfig b)
    {
        var d = new List<string>();
        if (a.UseAdam != b.UseAdam) d.Add("UseAdam");
        if (a.LearningRate != b.LearningRate) d.Add("LearningRate");
        if (a.CosineDecay != b.CosineDecay) d.Add("CosineDecay");
        if (a.WarmupEpochs != b.WarmupEpochs) d.Add("WarmupEpochs");
        if (a.WeightDecay != b.WeightDecay) d.Add("WeightDecay");
        if (a.LabelSmoothing != b.LabelSmoothing) d.Add("LabelSmoothing");
        if (a.Augment != b.Augment) d.Add("Augment");
        return d;
    }

    [Fact]
    public void UnknownName_IsRefused_NamingEveryKnownAblation()
    {
        var e = Assert.Throws<ArgumentException>(() => AblationRunner.Resolve("r34-adam")); // a log-only run, not in the v0.5.3 registry
        Assert.Contains("unknown ablation 'r34-adam'", e.Message);
        Assert.All(Ablation.All, a => Assert.Contains(a.Name, e.Message));
    }

    /// <summary>linear-sgd (the s4tfBaseline MNIST-Linear run) for three steps on the tiny IDX fixture: header, then the trainer's
    /// lines.</summary>
    [Fact]
    public void ShortRun_WritesTheRunnerHeaderAndTheTrainLogFormat()
    {
        using var data = new TinyData();
        var log = new StringWriter();
        var ablation = AblationRunner.Resolve("linear-sgd");
        var result = AblationRunner.Run(
            ablation, ablation.Config with { BatchSize = 16 }, data.Options("ablation") with { MaxSteps = 3, Log = log });
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(
        [
            "Ablation: linear-sgd",
            "  spec: MNIST-Linear-linear-sgd, optimizer: SGD",
            "  lr: 0.100000, cosine: false, wd: 0.000000",
            "  aug: false, label_smooth: 0.000000",
            "MNIST-Linear-linear-sgd: 7850 params",
        ], lines.Take(5));
        Assert.Contains(
            "training: 4 batches/epoch, batch=16, SGD+momentum, lr=0.100000, cosine warmup=0, label_smooth=0.000000, wd=0.000000, "
            + "momentum=0.900000", lines);
        var steps = lines.Where(l => l.StartsWith("  step ")).ToList();
        Assert.Equal(3, steps.Count);
        Assert.All(steps, l => Assert.Matches(@"^  step [0-2]/4: loss=\d+\.\d{6} \(\d+ms\)$", l));
        Assert.Matches(@"^Epoch 1/12: loss=\d+\.\d{6} lr=0\.100000 \(\d+ms\)$", lines.Single(l => l.StartsWith("Epoch ")));
        Assert.Equal(LogFormat.Saved, lines[^1]);
        Assert.Equal(3, result.Steps);
        Assert.Equal(4 * 7850, new FileInfo(data.Out("ablation/mnist_linear_linear_sgd_params.bin")).Length);
    }

    /// <summary>A CIFAR-shaped registry run (CIFAR-BN-f8, with BN) on the synthetic stand-in: two steps, finite losses.</summary>
    [Fact]
    public void ShortRun_OnSyntheticData_TrainsTheCifarWidthRun()
    {
        using var data = new TinyData(train: 10, test: 10);
        var log = new StringWriter();
        var ablation = AblationRunner.Resolve("width-cifar-f8");
        var result = AblationRunner.Run(ablation, ablation.Config with { BatchSize = 8 },
            data.Options("synthetic") with { DataDir = SyntheticData.Name, MaxSteps = 2, Log = log });
        Assert.Equal(2, result.Steps);
        Assert.Contains("  data: SYNTHETIC data in the Cifar10 layout", log.ToString());
        Assert.Contains("  BN layers: 4, BN stat floats: 96", log.ToString());
        var losses = TraceReader.Read(data.Out("synthetic/trace.jsonl")).Steps.Select(s => s.Loss).ToList();
        Assert.Equal(2, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
    }

    /// <summary>An ablation follows lmv train's folder rules; its refusal comes alone, before the runner's header.</summary>
    [Fact]
    public void Run_IntoAFolderHoldingARun_IsRefusedBeforeTheHeader_AndResumes()
    {
        using var data = new TinyData();
        var ablation = AblationRunner.Resolve("linear-sgd");
        var config = ablation.Config with { BatchSize = 16 };
        AblationRunner.Run(ablation, config, data.Options("a") with { MaxSteps = 2 });
        var log = new StringWriter();
        var e = Assert.Throws<RunFolderException>(() =>
            AblationRunner.Run(ablation, config, data.Options("a") with { MaxSteps = 2, Log = log }));
        Assert.Equal($"{data.Out("a")} already holds a run (trace.jsonl, checkpoint.lmvckpt, mnist_linear_linear_sgd_params.bin): "
            + $"continue it with --resume {data.Out("a")}, or replace it with --overwrite", e.Message);
        Assert.Equal("", log.ToString());
        Assert.Equal(3, AblationRunner.Run(ablation, config, data.Options("a") with { MaxSteps = 3, ResumePath = data.Out("a") }).Steps);
    }
}
