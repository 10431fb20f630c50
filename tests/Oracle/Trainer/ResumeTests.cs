using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>
/// Resume that always works: --epochs extends a finished run, a torn last trace line is dropped with a warning, float64
/// runs resume bit for bit, and the curve after a resume covers the whole run. Also what a run writes and logs.
/// </summary>
public class ResumeTests
{
    static readonly TrainConfig Sgd = new(0.05, 16, 2) { Seed = 1 };
    static readonly TrainConfig Adam = new(0.01, 16, 3) { UseAdam = true, WeightDecay = 1e-4, CosineDecay = true, WarmupEpochs = 1 };

    static TrainResult Train(NetSpec spec, TrainConfig config, TrainOptions options) =>
        new TrainingLoop(spec, config, DatasetKind.Mnist, options).Run();

    [Fact]
    public void Epochs_ExtendAFinishedRun_ToTheTraceOfTheLongerRun()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd with { Epochs = 3 }, data.Options("long"));
        Train(TinyData.Mlp, Sgd with { Epochs = 1 }, data.Options("short"));
        string checkpoint = data.Out("short/checkpoint.lmvckpt");
        var done = Assert.Throws<ResumeConflictException>(() =>
            Train(TinyData.Mlp, Sgd with { Epochs = 1 }, data.Options("short") with { ResumePath = checkpoint }));
        Assert.Equal($"--resume {checkpoint}: the checkpoint has completed 1 of the run's 1 epochs, nothing is left to do; "
            + "extend it with --epochs N (N > 1)", done.Message);
        var extended = Train(TinyData.Mlp, Sgd with { Epochs = 3 }, data.Options("short") with { ResumePath = checkpoint });
        Assert.Equal((12L, 3), (extended.Steps, extended.EpochsCompleted));
        // SGD at a constant rate: the extended run is the 3-epoch run, header (now epochs 3) included
        Assert.Equal(File.ReadAllLines(data.Out("long/trace.jsonl")), File.ReadAllLines(data.Out("short/trace.jsonl")));
        Assert.Equal(File.ReadAllBytes(data.Out("long/tiny_mlp_params.bin")), File.ReadAllBytes(data.Out("short/tiny_mlp_params.bin")));
    }

    [Fact]
    public void TornLastTraceLine_IsDroppedWithAWarning_AndTheRunResumesToTheUninterruptedTrace()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("full"));
        Train(TinyData.Mlp, Sgd, data.Options("part") with { MaxSteps = 6 });
        string trace = data.Out("part/trace.jsonl");
        File.AppendAllText(trace, "{\"kind\":\"step\",\"step\":7,\"epo"); // a crash while writing step 7
        var log = new StringWriter();
        Train(TinyData.Mlp, Sgd, data.Options("part") with { ResumePath = data.Out("part"), Log = log });
        Assert.Contains($"warning: {trace}: line 8 is cut short (a crash while writing it?); dropped it", log.ToString());
        Assert.Equal(File.ReadAllLines(data.Out("full/trace.jsonl")), File.ReadAllLines(trace));
    }

    [Fact]
    public void TornTraceLineWrittenByAFullDisk_IsDroppedAtResume()
    {
        using var data = new TinyData();
        string trace = data.Out("run/trace.jsonl");
        long room = -1;
        var disk = new SimulatedDisk { AppendFullAfter = p => p == trace ? room : null };
        Train(TinyData.Mlp, Sgd, data.Options("full"));
        var lines = File.ReadAllLines(data.Out("full/trace.jsonl"));
        room = lines.Skip(1).Take(5).Sum(l => l.Length + 1) + 40; // steps 1–5 fit, step 6 is cut after 40 bytes
        var e = Assert.Throws<RunIoException>(() => Train(TinyData.Mlp, Sgd, data.Options("run") with { Files = disk }));
        Assert.Equal($"{trace}: cannot write it: no space left on device (at step 6; the last good checkpoint is "
            + $"{data.Out("run/checkpoint.lmvckpt")})", e.Message);
        Assert.Equal(40, File.ReadAllText(trace).Split('\n')[^1].Length);
        var log = new StringWriter();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = data.Out("run"), Log = log });
        Assert.Contains($"warning: {trace}: line 7 is cut short", log.ToString()); // line 1 is the header
        Assert.Equal(lines, File.ReadAllLines(trace));
    }

    [Fact]
    public void Resume_WithATraceThatStopsShortOfTheCheckpoint_IsRefusedAsAnotherRunsTrace()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { MaxSteps = 6 });
        string trace = data.Out("run/trace.jsonl");
        File.WriteAllLines(trace, File.ReadAllLines(trace).Take(4)); // steps 1–3 of a run whose checkpoint is at step 6
        var before = File.ReadAllBytes(trace);
        var e = Assert.Throws<InvalidDataException>(() =>
            Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = data.Out("run") }));
        Assert.Equal($"{trace}: its steps end at 3, the checkpoint is at step 6: it is not the trace of this checkpoint's run", e.Message);
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(e));
        Assert.Equal(before, File.ReadAllBytes(trace));
    }

    [Fact]
    public void Resume_WithoutATrace_StartsANewOneAtTheNextStep_WithAWarning()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { MaxSteps = 6 });
        string trace = data.Out("run/trace.jsonl");
        File.Delete(trace);
        var log = new StringWriter();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = data.Out("run"), Log = log });
        Assert.Contains($"warning: there is no trace at {trace}: the new one starts at step 7", log.ToString());
        Assert.Equal([7L, 8], TraceReader.Read(trace).Steps.Select(s => s.Step));
    }

    [Fact]
    public void Resume_WithAStepLimitTheCheckpointHasReached_IsRefused()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { MaxSteps = 6 });
        string path = data.Out("run/checkpoint.lmvckpt");
        var e = Assert.Throws<ResumeConflictException>(() =>
            Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = path, MaxSteps = 6 }));
        Assert.Equal($"--resume {path}: the checkpoint is at step 6 already; --max-steps 6 leaves nothing to do", e.Message);
        Assert.Equal(7, Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = path, MaxSteps = 7 }).Steps);
    }

    [Fact]
    public void Float64Run_ResumesBitIdentically_BecauseTheCheckpointKeepsFloat64()
    {
        using var data = new TinyData();
        Train(TinyData.ConvBn, Adam, data.Options("full") with { Dtype = ScalarType.Float64 });
        Train(TinyData.ConvBn, Adam, data.Options("part") with { Dtype = ScalarType.Float64, MaxSteps = 6 });
        Train(TinyData.ConvBn, Adam, data.Options("part") with { Dtype = ScalarType.Float64, ResumePath = data.Out("part") });
        var full = Checkpoint.Load(data.Out("full/checkpoint.lmvckpt"));
        var resumed = Checkpoint.Load(data.Out("part/checkpoint.lmvckpt"));
        Assert.Equal(StoredDtype.Float64, resumed.Dtype);
        Assert.All(resumed.Tensors, t => Assert.Equal(StoredDtype.Float64, t.Dtype));
        Assert.Equal(full.Tensors.Select(t => t.Bytes), resumed.Tensors.Select(t => t.Bytes));
        Assert.Equal(File.ReadAllLines(data.Out("full/trace.jsonl")), File.ReadAllLines(data.Out("part/trace.jsonl")));

        // negative case: the same resume from float32 copies of the tensors (what checkpoint version 1 kept) drifts
        Train(TinyData.ConvBn, Adam, data.Options("f32") with { Dtype = ScalarType.Float64, MaxSteps = 6 });
        string path = data.Out("f32/checkpoint.lmvckpt");
        var mid = Checkpoint.Load(path);
        var rounded = mid.Tensors.Select(t =>
            new StoredTensor(t.Name, t.Group, t.Shape, t.Values().Select(v => (double)(float)v).ToArray()));
        (mid with { Tensors = [.. rounded] }).Save(path);
        Train(TinyData.ConvBn, Adam, data.Options("f32") with { Dtype = ScalarType.Float64, ResumePath = path });
        Assert.NotEqual(File.ReadAllLines(data.Out("full/trace.jsonl")), File.ReadAllLines(data.Out("f32/trace.jsonl")));
    }

    [Fact]
    public void Float64Checkpoint_ResumedAsFloat32_IsRefusedNamingBothDtypes()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("run") with { Dtype = ScalarType.Float64, MaxSteps = 2 });
        string path = data.Out("run/checkpoint.lmvckpt");
        var e = Assert.Throws<ResumeConflictException>(() => Train(TinyData.Mlp, Sgd, data.Options("run") with { ResumePath = path }));
        Assert.Equal($"--resume {path}: this run differs from the checkpoint's:\n  dtype: this run is float32, the checkpoint's float64",
            e.Message);
    }

    [Fact]
    public void CurveAfterAResume_CoversTheWholeRun()
    {
        using var data = new TinyData();
        Train(TinyData.Mlp, Sgd, data.Options("full") with { Plot = true });
        Train(TinyData.Mlp, Sgd, data.Options("part") with { Plot = true, MaxSteps = 6 });
        var partCurve = File.ReadAllBytes(data.Out("part/curve.png"));
        Train(TinyData.Mlp, Sgd, data.Options("part") with { Plot = true, ResumePath = data.Out("part") });
        var checkpoint = Checkpoint.Load(data.Out("part/checkpoint.lmvckpt"));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), checkpoint.Losses.Select(p => p.Step));
        Assert.Equal(TraceReader.Read(data.Out("full/trace.jsonl")).Steps.Select(s => s.Loss), checkpoint.Losses.Select(p => p.Value));
        Assert.Equal([4L, 6, 8], checkpoint.Accuracies.Select(p => p.Step)); // after epoch 1, at the stop, after epoch 2
        Assert.NotEqual(partCurve, File.ReadAllBytes(data.Out("part/curve.png")));

        // negative case: a checkpoint without the curve so far (version 1) draws only the resumed steps
        Train(TinyData.Mlp, Sgd, data.Options("v1") with { MaxSteps = 6 });
        string path = data.Out("v1/checkpoint.lmvckpt");
        (Checkpoint.Load(path) with { Losses = [], Accuracies = [] }).Save(path);
        Train(TinyData.Mlp, Sgd, data.Options("v1") with { ResumePath = path });
        Assert.Equal([7L, 8], Checkpoint.Load(path).Losses.Select(p => p.Step));
    }

    [Fact]
    public void SgdRun_LogsItsMomentumBuffer_NotAdamsMAndV()
    {
        using var data = new TinyData();
        var sgd = new StringWriter();
        var adam = new StringWriter();
        Train(TinyData.Mlp, Sgd, data.Options("sgd") with { MaxSteps = 1, Log = sgd });
        Train(TinyData.Mlp, Adam, data.Options("adam") with { MaxSteps = 1, Log = adam });
        Assert.Contains("  12730 params + momentum (0 MB)\n", sgd.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("m + v", sgd.ToString());
        Assert.Contains("  12730 params + m + v (0 MB)\n", adam.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void NetWithoutBn_WritesNoBnStatsFile_ANetWithBnDoes()
    {
        using var data = new TinyData();
        var mlp = Train(TinyData.Mlp, Sgd, data.Options("mlp") with { MaxSteps = 1 });
        Assert.False(File.Exists(data.Out("mlp/tiny_mlp_bn_stats.bin")));
        Assert.DoesNotContain(mlp.Files, f => f.EndsWith("_bn_stats.bin", StringComparison.Ordinal));
        var bn = Train(TinyData.ConvBn, Sgd, data.Options("bn") with { MaxSteps = 1 });
        Assert.Contains(data.Out("bn/tiny_convbn_bn_stats.bin"), bn.Files);
        Assert.Equal(4 * ParamTensors.BnStatFloats(TinyData.ConvBn), new FileInfo(data.Out("bn/tiny_convbn_bn_stats.bin")).Length);
    }
}
