using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>The training loop end to end on tiny specs and a tiny IDX dataset in a temp folder (seconds).</summary>
public class TrainingLoopTests
{
    static readonly TrainConfig Sgd = new(0.05, 16, 2) { Seed = 1 };
    static readonly TrainConfig Adam = new(0.01, 16, 2) { UseAdam = true, WeightDecay = 1e-4, CosineDecay = true, WarmupEpochs = 1 };

    static TrainResult Train(TinyData data, NetSpec spec, TrainConfig config, TrainOptions options) =>
        new TrainingLoop(spec, config, DatasetKind.Mnist, options).Run();

    static List<string> StepLines(string trace) => File.ReadAllLines(trace).Skip(1).ToList();

    [Fact]
    public void Loss_FallsOverAFewEpochsOnATinyDataset()
    {
        using var data = new TinyData();
        var result = Train(data, TinyData.Mlp, Sgd with { Epochs = 6 }, data.Options("run"));
        var steps = TraceReader.Read(data.Out("run/trace.jsonl")).Steps;
        Assert.Equal(6 * (64 / 16), steps.Count);
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps.Select(s => s.Step));
        double first = steps.Take(4).Average(s => s.Loss), last = steps.TakeLast(4).Average(s => s.Loss);
        Assert.True(last < 0.5 * first, $"mean loss of the first epoch {first}, of the last {last}");
        Assert.True(result.Accuracy > 50, $"accuracy {result.Accuracy}% on the 40 test images");
        Assert.Equal(40, result.Evaluated);
        Assert.All(steps, s => Assert.Equal(4, s.GradNorms!.Count));
        Assert.True(File.Exists(data.Out("run/tiny_mlp_params.bin")));
        Assert.Equal(4 * TinyData.Mlp.TotalParams(), new FileInfo(data.Out("run/tiny_mlp_params.bin")).Length);
    }

    [Fact]
    public void SameSeed_GivesTheSameTrace_AndAnotherConfigDoesNot()
    {
        using var data = new TinyData();
        Train(data, TinyData.ConvBn, Adam, data.Options("a"));
        Train(data, TinyData.ConvBn, Adam, data.Options("b"));
        Train(data, TinyData.ConvBn, Adam with { LearningRate = 0.02 }, data.Options("c"));
        var a = StepLines(data.Out("a/trace.jsonl"));
        Assert.Equal(a, StepLines(data.Out("b/trace.jsonl")));
        Assert.NotEqual(a, StepLines(data.Out("c/trace.jsonl")));
        Assert.Equal(File.ReadAllBytes(data.Out("a/tiny_convbn_bn_stats.bin")), File.ReadAllBytes(data.Out("b/tiny_convbn_bn_stats.bin")));
    }

    /// <summary>Stopped mid-epoch and at an epoch boundary, then resumed: the trace equals the uninterrupted run's, byte for
    /// byte.</summary>
    [Theory]
    [InlineData(6)]
    [InlineData(4)]
    public void Resume_ContinuesWithTheUninterruptedTrace(long stopAt)
    {
        using var data = new TinyData();
        var config = Adam with { Epochs = 3 };
        Train(data, TinyData.ConvBn, config, data.Options("full"));
        Train(data, TinyData.ConvBn, config, data.Options("part") with { MaxSteps = stopAt });
        Assert.Equal(stopAt, StepLines(data.Out("part/trace.jsonl")).Count);
        var resumed = Train(data, TinyData.ConvBn, config, data.Options("part") with { ResumePath = data.Out("part/checkpoint.lmvckpt") });
        Assert.Equal(3 * 4, resumed.Steps);
        Assert.Equal(StepLines(data.Out("full/trace.jsonl")), StepLines(data.Out("part/trace.jsonl")));
        Assert.Equal(
            File.ReadAllBytes(data.Out("full/tiny_convbn_params.bin")), File.ReadAllBytes(data.Out("part/tiny_convbn_params.bin")));
        Assert.Equal(
            File.ReadAllBytes(data.Out("full/tiny_convbn_bn_stats.bin")), File.ReadAllBytes(data.Out("part/tiny_convbn_bn_stats.bin")));
    }

    [Fact]
    public void Resume_WithAnotherConfig_IsRefused()
    {
        using var data = new TinyData();
        Train(data, TinyData.Mlp, Sgd, data.Options("a") with { MaxSteps = 2 });
        var e = Assert.Throws<ResumeConflictException>(() =>
            Train(data, TinyData.Mlp, Sgd with { LearningRate = 0.1 },
                data.Options("a") with { ResumePath = data.Out("a/checkpoint.lmvckpt") }));
        Assert.Equal($"--resume {data.Out("a/checkpoint.lmvckpt")}: this run differs from the checkpoint's:\n"
            + "  lr: this run has 0.1, the checkpoint 0.05", e.Message);
    }

    /// <summary>lr 1e30 overflows float32 after the first update: the run stops naming the step and keeps the last good
    /// checkpoint.</summary>
    [Fact]
    public void NonFiniteLoss_StopsWithTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var data = new TinyData();
        var config = Sgd with { LearningRate = 1e30 };
        Train(data, TinyData.Mlp, config, data.Options("nan") with { MaxSteps = 1 });
        string checkpoint = data.Out("nan/checkpoint.lmvckpt");
        var good = File.ReadAllBytes(checkpoint);
        var e = Assert.Throws<TrainingDivergedException>(
            () => Train(data, TinyData.Mlp, config, data.Options("nan") with { ResumePath = checkpoint }));
        Assert.True(e.Step >= 2, $"stopped at step {e.Step}");
        Assert.Contains($"step {e.Step}", e.Message);
        Assert.Contains(checkpoint, e.Message);
        Assert.Equal(good, File.ReadAllBytes(checkpoint));
        Assert.Equal(1, Checkpoint.Load(checkpoint).Step);
        var last = TraceReader.Read(data.Out("nan/trace.jsonl")).Steps[^1];
        Assert.Equal(e.Step, last.Step);
        Assert.False(double.IsFinite(last.Loss));
    }

    [Fact]
    public void BadSpec_FailsBeforeAnyFileIsWritten()
    {
        using var data = new TinyData();
        var spec = new NetSpec("bad", [Layer.Dense(784, 16, Activation.Relu), Layer.Dense(32, 10, Activation.Identity)]);
        var e = Assert.Throws<SpecException>(() => Train(data, spec, Sgd, data.Options("bad")));
        Assert.Equal(1, e.LayerIndex);
        Assert.False(Directory.Exists(data.Out("bad")));
    }

    [Fact]
    public void ImagesOfAnotherSize_AreRefusedNamingTheFile()
    {
        using var data = new TinyData();
        var spec = new NetSpec("wide", [Layer.Dense(3072, 10, Activation.Identity)]);
        var e = Assert.Throws<InvalidDataException>(() => Train(data, spec, Sgd, data.Options("wide")));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("3072", e.Message);
    }
}
