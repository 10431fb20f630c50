using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>
/// A run's folder: an earlier run is never replaced silently, a resume continues only its own run, and an output that
/// cannot be written is found before the first step (or, mid-run, stops it with the file, the step and the last good
/// checkpoint). Read-only folders and full disks are simulated (<see cref="SimulatedDisk"/>): tests run as root.
/// </summary>
public class RunFolderTests
{
    static readonly TrainConfig Sgd = new(0.05, 16, 2) { Seed = 1 };

    static TrainResult Train(TrainOptions options, TrainConfig? config = null) =>
        new TrainingLoop(TinyData.Mlp, config ?? Sgd, DatasetKind.Mnist, options).Run();

    static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder).Order().ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Train_RefusesOutFolderThatHoldsARun_AndLeavesItAsItWas()
    {
        using var data = new TinyData();
        string dir = data.Out("run");
        Train(data.Options("run") with { MaxSteps = 2 });
        var before = Snapshot(dir);
        var e = Assert.Throws<RunFolderException>(() => Train(data.Options("run") with { MaxSteps = 2 }));
        Assert.Equal($"{dir} already holds a run (trace.jsonl, checkpoint.lmvckpt, tiny_mlp_params.bin): "
            + $"continue it with --resume {dir}, or replace it with --overwrite", e.Message);
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(e));
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void Train_RefusesAFolderWhoseRunHasNoCheckpoint_OfferingOnlyToReplaceIt()
    {
        using var data = new TinyData();
        string dir = data.Out("crashed");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "trace.jsonl"), "{}\n");
        var e = Assert.Throws<RunFolderException>(() => Train(data.Options("crashed")));
        Assert.Equal($"{dir} already holds a run without a checkpoint (trace.jsonl): replace it with --overwrite, or choose another --out",
            e.Message);
    }

    [Fact]
    public void Overwrite_RemovesOnlyTheEarlierRunsFiles_AndADivergenceNamesNoCheckpointOfThatRun()
    {
        using var data = new TinyData();
        string dir = data.Out("run");
        Train(data.Options("run") with { MaxSteps = 6 });
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var log = new StringWriter();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Train(data.Options("run") with { Overwrite = true, Log = log }, Sgd with { LearningRate = 1e30 }));
        Assert.Contains("  --overwrite: removed the earlier run's trace.jsonl, checkpoint.lmvckpt, tiny_mlp_params.bin", log.ToString());
        Assert.EndsWith("training stopped; no checkpoint of this run was written before it", e.Message);
        Assert.Equal(["notes.txt", "trace.jsonl"], Snapshot(dir).Keys);
        Assert.Equal(e.Step, TraceReader.Read(Path.Combine(dir, "trace.jsonl")).Steps.Count); // only this run's steps
    }

    [Fact]
    public void Resume_IntoAFolderHoldingAnotherRunsCheckpoint_IsRefused()
    {
        using var data = new TinyData();
        Train(data.Options("a") with { MaxSteps = 2 });
        Train(data.Options("b") with { MaxSteps = 3 });
        string a = data.Out("a/checkpoint.lmvckpt"), b = data.Out("b/checkpoint.lmvckpt");
        var before = Snapshot(data.Out("b"));
        var e = Assert.Throws<RunFolderException>(() => Train(data.Options("b") with { ResumePath = a }));
        Assert.Equal($"{b} belongs to another run than {a}: resume into the checkpoint's own folder (--out {data.Out("a")}) "
            + "or into a new --out", e.Message);
        Assert.Equal(before, Snapshot(data.Out("b")));
    }

    [Fact]
    public void Resume_OfAFolderWithoutCheckpoint_OrTogetherWithOverwrite_IsRefused()
    {
        using var data = new TinyData();
        string none = data.Out("none");
        var missing = Assert.Throws<RunFolderException>(() => Train(data.Options("x") with { ResumePath = none }));
        Assert.Equal($"--resume {none}: no checkpoint there (expected a checkpoint file, or a run folder holding checkpoint.lmvckpt)",
            missing.Message);
        var both = Assert.Throws<RunFolderException>(() => Train(data.Options("x") with { ResumePath = none, Overwrite = true }));
        Assert.Equal("--resume and --overwrite together: --resume continues a run, --overwrite replaces it; give one", both.Message);
        Assert.False(Directory.Exists(data.Out("x")));
    }

    [Fact]
    public void Resume_TakesARunFolder_AndContinuesItsOwnCheckpoint()
    {
        using var data = new TinyData();
        Train(data.Options("run") with { MaxSteps = 2 });
        var result = Train(data.Options("run") with { ResumePath = data.Out("run") });
        Assert.Equal(8, result.Steps);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), TraceReader.Read(data.Out("run/trace.jsonl")).Steps.Select(s => s.Step));
    }

    [Fact]
    public void OutThatIsAFile_OrUnderAFile_IsRefusedBeforeAnyWork()
    {
        using var data = new TinyData();
        string file = data.Out("file");
        File.WriteAllText(file, "not a folder");
        var isFile = Assert.Throws<RunIoException>(() => Train(data.Options("file")));
        Assert.Equal($"{file}: is a file, not a folder (--out)", isFile.Message);
        Assert.Equal(ExitCodes.Io, ExitCodes.For(isFile));
        var under = Assert.Throws<RunIoException>(() => Train(data.Options("file/run")));
        Assert.Equal($"{file}/run: cannot create it: {file} is a file (--out)", under.Message);
        var checkpoint = Assert.Throws<RunIoException>(() =>
            Train(data.Options("ok") with { CheckpointPath = Path.Combine(file, "c.lmvckpt") }));
        Assert.Equal($"{file}/c.lmvckpt: cannot create it: {file} is a file (--checkpoint)", checkpoint.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.False(Directory.Exists(data.Out("ok")));
    }

    [Fact]
    public void TraceOnADevice_IsRefused_SoThatNothingIsRenamedOverIt()
    {
        using var data = new TinyData();
        var e = Assert.Throws<RunIoException>(() => Train(data.Options("run") with { TracePath = "/dev/null", Overwrite = true }));
        Assert.Equal("/dev/null: is a device, pipe or socket, not a file (--trace)", e.Message);
        Assert.True(File.Exists("/dev/null"));
    }

    [Fact]
    public void ReadOnlyFolder_IsFoundByTheProbe_BeforeTheFirstStep()
    {
        using var data = new TinyData();
        string dir = data.Out("ro");
        var disk = new SimulatedDisk { ReadOnly = p => p.StartsWith(dir, StringComparison.Ordinal) };
        var e = Assert.Throws<RunIoException>(() => Train(data.Options("ro") with { Files = disk }));
        Assert.Equal($"{dir}: cannot write in it: permission denied", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
        Train(data.Options("ro") with { MaxSteps = 1 }); // negative case: the same folder, writable, trains
    }

    [Fact]
    public void FullDisk_IsFoundBeforeTheFirstStep()
    {
        using var data = new TinyData();
        string dir = data.Out("full");
        // checkpoint ≈ 2 × 12,730 floats × 4 B + 64 × 4 B order + 10 × 16 B curve + 4 KB, twice, + params 12,730 × 4 B = 0.25 MB
        var e = Assert.Throws<RunIoException>(() => Train(data.Options("full") with { Files = new SimulatedDisk { Free = 1000 } }));
        Assert.Equal($"{dir}: not enough space: 0.0 MB free, the run needs at least 0.3 MB "
            + "(the checkpoint and its next copy, the parameters)", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
        Train(data.Options("full") with { Files = new SimulatedDisk { Free = 300_000 }, MaxSteps = 1 }); // negative case: room enough
    }

    [Fact]
    public void FullDiskMidRun_StopsNamingTheFileTheStepAndTheLastGoodCheckpoint_WhichStaysIntact()
    {
        using var data = new TinyData();
        string checkpoint = data.Out("run/checkpoint.lmvckpt");
        int saves = 0;
        var disk = new SimulatedDisk { FullAfter = p => p.Contains(".checkpoint.lmvckpt.") && ++saves == 2 ? 1000 : null };
        var e = Assert.Throws<RunIoException>(() => Train(data.Options("run") with { Files = disk }));
        Assert.Equal($"{checkpoint}: cannot write it: no space left on device (at step 8; the last good checkpoint is {checkpoint})",
            e.Message);
        Assert.Equal(ExitCodes.Io, ExitCodes.For(e));
        Assert.Equal(4, Checkpoint.Load(checkpoint).Step);
        Assert.Equal(["checkpoint.lmvckpt", "trace.jsonl"], Snapshot(data.Out("run")).Keys); // no temp file, no partial output
        var resumed = Train(data.Options("run") with { ResumePath = checkpoint });
        Assert.Equal(8, resumed.Steps);
    }

    [Fact]
    public void OrphanTempFiles_OfAnInterruptedSave_AreRemovedAtTheNextStart_AndNoOtherFile()
    {
        using var data = new TinyData();
        string dir = data.Out("run");
        Train(data.Options("run") with { MaxSteps = 2 });
        string[] orphans = [".checkpoint.lmvckpt.0123abcd.tmp", ".tiny_mlp_params.bin.77.tmp", "tiny_mlp_params.bin.tmp"];
        foreach (var name in orphans.Append(".notes.tmp")) File.WriteAllText(Path.Combine(dir, name), "partial");
        var log = new StringWriter();
        Train(data.Options("run") with { ResumePath = dir, Log = log });
        Assert.Contains($"  removed 3 temp file(s) an interrupted save left: {string.Join(", ", orphans)}", log.ToString());
        Assert.All(orphans, name => Assert.False(File.Exists(Path.Combine(dir, name))));
        Assert.True(File.Exists(Path.Combine(dir, ".notes.tmp")));
    }
}
