using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Runs;

/// <summary>Checkpoint layout and atomic writes, the JSON-Lines trace, trace comparison and the book's log lines.</summary>
public sealed class RunArtefactTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("lmv-runs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static Checkpoint Sample() => new("MNIST-CNN-BN", DatasetKind.Mnist, Recipes.MnistAdamCosine(15), 3, 1404, [2, 0, 1],
    [
        new("L0.W", TensorGroup.Parameter, [2, 1], [1.5f, -2.25f]),
        new("L0.W.m", TensorGroup.OptimizerState, [2, 1], [0.1f, float.Epsilon]),
        new("L0.mean", TensorGroup.BnRunningStat, [1], [3.75f]),
    ]);

    [Fact]
    public void Checkpoint_RoundTripsEveryField()
    {
        string path = Path.Combine(dir, "run.ckpt");
        Sample().Save(path);
        var back = Checkpoint.Load(path);
        Assert.Equal(("MNIST-CNN-BN", DatasetKind.Mnist, 3, 1404L), (back.SpecName, back.Dataset, back.Epoch, back.Step));
        Assert.Equal(Recipes.MnistAdamCosine(15), back.Config);
        Assert.Equal([2, 0, 1], back.SampleOrder);
        Assert.Equal(Sample().Tensors.Select(t => (t.Name, t.Group, string.Join(",", t.Shape), t.Dtype, string.Join(",", t.Values()))),
            back.Tensors.Select(t => (t.Name, t.Group, string.Join(",", t.Shape), t.Dtype, string.Join(",", t.Values()))));
        Assert.Equal([1.5, -2.25], back.Tensors[0].Values());
        Assert.Equal([path], Directory.GetFiles(dir)); // no temp file left behind
    }

    [Fact]
    public void Checkpoint_BadMagicVersionTruncationAndCorruption_NameFileOffsetAndExpected()
    {
        string path = Path.Combine(dir, "c.ckpt");
        Sample().Save(path);
        var good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, [.. "NOTACKPT"u8, .. good[8..]]);
        var magic = Assert.Throws<DataFormatException>(() => Checkpoint.Load(path));
        Assert.Equal(0, magic.Offset);
        Assert.StartsWith($"{path}: at byte offset 0: expected magic", magic.Message);

        var v3 = good.ToArray();
        v3[8] = 3;
        var version = Assert.Throws<DataFormatException>(() => Checkpoint.Load(Write(path, v3)));
        Assert.Equal(8, version.Offset);
        Assert.Contains("expected checkpoint version 1 or 2, found 3", version.Message);

        var cut = Assert.Throws<DataFormatException>(() => Checkpoint.Load(Write(path, good[..^40])));
        Assert.Contains("end of file", cut.Message);

        var flipped = good.ToArray();
        flipped[^34] ^= 1; // a data byte of the last tensor (its float sits just before the hash)
        var corrupt = Assert.Throws<DataFormatException>(() => Checkpoint.Load(Write(path, flipped)));
        Assert.Equal(good.Length - 32, corrupt.Offset);
        Assert.Contains("SHA-256", corrupt.Message);
    }

    static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Checkpoint_FailedWrite_KeepsThePreviousFileIntact()
    {
        string path = Path.Combine(dir, "keep.ckpt");
        Sample().Save(path);
        var before = File.ReadAllBytes(path);
        var broken = Sample() with { Tensors = [new StoredTensor("x", TensorGroup.Parameter, [3], [1f])] }; // 1 value for shape [3]
        Assert.Throws<ArgumentException>(() => broken.Save(path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Checkpoint_CheckMatches_NamesTheFirstDifferingTensor()
    {
        var spec = PartOneSpecs.MnistMlp;
        var tensors = InitialValues.Tensors(spec)
            .Select(t => new StoredTensor(t.Tensor.Name, TensorGroup.Parameter, t.Tensor.Shape, t.Values)).ToList();
        var ok = new Checkpoint(spec.Name, DatasetKind.Mnist, Recipes.S4tfBaseline(), 0, 0, [], tensors);
        ok.CheckMatches(spec);
        var e = Assert.Throws<InvalidDataException>(() => (ok with { Tensors = tensors.Take(5).ToList() }).CheckMatches(spec));
        Assert.Contains("parameter 5: the spec has L2.b [10]", e.Message);
        Assert.Throws<InvalidDataException>(() => ok.CheckMatches(PartOneSpecs.MnistCnnNoBn));
    }

    [Fact]
    public void RunTensors_CaptureAndRestore_BringBackParametersBuffersStepAndBnStats()
    {
        using var scope = NewDisposeScope();
        var w = new NetParameter(new ParamTensor("L0.W", [2], ParamRole.Kernel, 2), tensor(new[] { 1f, 2f }));
        var mean = tensor(new[] { 0.5f });
        using var adam = new AdamW([w], 0);
        adam.Apply([tensor(new[] { 0.1f, -0.1f })], 0.01);
        var saved = new Checkpoint(
            "T", DatasetKind.Mnist, Recipes.AdamOnly(), 1, adam.Step, [], RunTensors.Capture(adam, [("L0.mean", mean)]));
        string path = Path.Combine(dir, "t.ckpt");
        saved.Save(path);

        var w2 = new NetParameter(w.Info, tensor(new[] { 9f, 9f }));
        var mean2 = tensor(new[] { 0f });
        using var fresh = new AdamW([w2], 0);
        RunTensors.Restore(Checkpoint.Load(path), fresh, [("L0.mean", mean2)]);
        Assert.Equal(w.Value.data<float>().ToArray(), w2.Value.data<float>().ToArray());
        Assert.Equal(0.5f, mean2.item<float>());
        Assert.Equal(1, fresh.Step);
        adam.Apply([tensor(new[] { 0.2f, 0.3f })], 0.01);
        fresh.Apply([tensor(new[] { 0.2f, 0.3f })], 0.01);
        Assert.Equal(w.Value.data<float>().ToArray(), w2.Value.data<float>().ToArray()); // m, v and t came back too

        using var sgd = new SgdMomentum([w2], 0.9, 0);
        Assert.Throws<InvalidDataException>(() => RunTensors.Restore(Checkpoint.Load(path), sgd, [("L0.mean", mean2)]));
    }

    [Fact]
    public void RunTensors_GradNorms_ArePerTensorAndTotal()
    {
        using var scope = NewDisposeScope();
        var ps = new[]
        {
            new NetParameter(new ParamTensor("a", [2], ParamRole.Kernel, 2), zeros(2)),
            new NetParameter(new ParamTensor("b", [1], ParamRole.Bias), zeros(1))
        };
        var (total, per) = RunTensors.GradNorms(ps, [tensor(new[] { 3f, 4f }), tensor(new[] { 12f })]);
        Assert.Equal(5, per["a"], 12);
        Assert.Equal(13, total, 12);
    }

    static TraceHeader Header => new("MNIST-MLP", Recipes.S4tfBaseline(), 669_706, DatasetKind.Mnist);

    [Fact]
    public void Trace_WritesTheFormatsKeys_AtFullPrecision_AndReadsBack()
    {
        string path = Path.Combine(dir, "t.jsonl");
        using (var w = TraceWriter.Create(path, Header))
        {
            w.Write(new TraceStep(1, 0, 2.419938802719116, 0.1, 3.5, new Dictionary<string, double> { ["L0.W"] = 1.25 }));
            w.Write(new TraceStep(2, 0, double.NaN, 0.1));
        }
        var lines = File.ReadAllLines(path);
        Assert.StartsWith(
            "{\"kind\":\"header\",\"phase\":\"lmv\",\"netspec_name\":\"MNIST-MLP\",\"config\":{\"lr\":0.1,\"batch_size\":128,", lines[0]);
        Assert.Contains("\"total_params\":669706,\"dataset\":\"mnist\"", lines[0]);
        Assert.Equal(
            "{\"kind\":\"step\",\"step\":1,\"epoch\":0,\"loss\":2.419938802719116,\"lr\":0.1,\"grad_norm\":3.5,\"grad_norms\":{\"L0.W\":1.25}}",
            lines[1]);
        var trace = TraceReader.Read(path);
        Assert.Equal(Header, trace.Header);
        Assert.Equal(2.419938802719116, trace.Steps[0].Loss);
        Assert.Equal(1.25, trace.Steps[0].GradNorms!["L0.W"]);
        Assert.True(double.IsNaN(trace.Steps[1].Loss));
    }

    [Fact]
    public void Trace_MalformedLine_NamesFileAndLine()
    {
        string path = Path.Combine(dir, "bad.jsonl");
        using (var w = TraceWriter.Create(path, Header)) w.Write(new TraceStep(1, 0, 1, 0.1));
        File.AppendAllText(path, "{\"kind\":\"step\",\"step\":2}\n");
        var e = Assert.Throws<FormatException>(() => TraceReader.Read(path));
        Assert.Contains($"{path}: line 3: missing \"epoch\"", e.Message);
    }

    [Fact]
    public void TraceResume_DropsStepsAfterTheCheckpoint_AndRefusesAnotherHeader()
    {
        string path = Path.Combine(dir, "r.jsonl");
        using (var w = TraceWriter.Create(path, Header))
            for (int s = 1; s <= 5; s++) w.Write(new TraceStep(s, 0, 1.0 / s, 0.1));
        using (var w = TraceWriter.Resume(path, Header, lastStep: 3)) w.Write(new TraceStep(4, 0, 0.4, 0.1));
        Assert.Equal([1L, 2, 3, 4], TraceReader.Read(path).Steps.Select(s => s.Step));
        Assert.Throws<InvalidDataException>(() => TraceWriter.Resume(path, Header with { TotalParams = 1 }, 3));
    }

    static Trace Make(params double[] losses) => new(Header, losses.Select((l, i) => new TraceStep(i + 1, 0, l, 0.1)).ToList());

    [Fact]
    public void TraceDiff_ReportsAbsoluteAndRelativeLossDifferences()
    {
        var d = TraceDiff.Compare(Make(2.0, 1.0, 0.5), Make(2.0, 1.0005, 0.54));
        Assert.Equal(0.04, d.MaxAbsLoss, 12);
        Assert.Equal(0.04 / 0.54, d.MaxRelLoss, 12);
        Assert.Equal([3L], d.Mismatches(Tolerance.Strict).Select(s => s.Step));
        Assert.False(d.Agrees(Tolerance.Strict));
        Assert.True(d.Agrees(Tolerance.CrossCompiler));
        Assert.True(TraceDiff.Compare(Make(1, 2), Make(1, 2)).Agrees(Tolerance.Strict));
    }

    [Fact]
    public void TraceDiff_NaNHeaderAndLengthDifferences_NeverAgree()
    {
        Assert.False(TraceDiff.Compare(Make(1, double.NaN), Make(1, double.NaN)).Agrees(Tolerance.CrossCompiler));
        Assert.False(TraceDiff.Compare(Make(1, 2), Make(1)).Agrees(Tolerance.CrossCompiler));
        var other = Make(1) with { Header = Header with { Dataset = DatasetKind.Cifar10 } };
        var d = TraceDiff.Compare(Make(1), other);
        Assert.Equal(["dataset mnist vs cifar10"], d.HeaderDiffs);
    }

    [Fact]
    public void TraceDiff_FindsTheWorstGradientNorm()
    {
        TraceStep S(long step, double a, double b) => new(step, 0, 1, 0.1, null, new Dictionary<string, double> { ["x"] = a, ["y"] = b });
        var d = TraceDiff.Compare(new Trace(Header, [S(1, 1, 2), S(2, 1, 2)]), new Trace(Header, [S(1, 1, 2.5), S(2, 1.1, 2)]));
        Assert.Equal((1L, "y", 0.5), (d.WorstGradNorm!.Step, d.WorstGradNorm.Tensor, d.WorstGradNorm.Abs));
        Assert.False(d.Agrees(Tolerance.Strict));
    }

    [Fact]
    public void LogFormat_PrintsTheBooksLines()
    {
        Assert.Equal("MNIST-MLP-mlp-sgd: 669706 params", LogFormat.Params("MNIST-MLP-mlp-sgd", 669_706));
        Assert.Equal("  step 0/468: loss=2.437782 (34ms)", LogFormat.Step(0, 468, 2.4377819, 34));
        Assert.Equal("Epoch 1/12: loss=0.218235 lr=0.100000 (9417ms)", LogFormat.Epoch(0, 12, 0.218235, 0.1, 9417));
        Assert.Equal("  val accuracy (running BN): 9841/9984 = 98.567708%", LogFormat.Validation(9841, 9984));
        Assert.Equal("  BN layers: 36, BN stat floats: 17024", LogFormat.BnLayers(36, 17_024));
        Assert.Equal("  669706 params + m + v (7 MB)", LogFormat.Memory(669_706, Recipes.AdamOnly()));
        Assert.Equal("  669706 params + momentum (5 MB)", LogFormat.Memory(669_706, Recipes.S4tfBaseline())); // SGD has no m and v
        Assert.Equal(
            "training: 468 batches/epoch, batch=128, SGD+momentum, lr=0.100000, cosine warmup=0, label_smooth=0.000000, wd=0.000000",
            LogFormat.Training(468, Recipes.S4tfBaseline()));
        Assert.Equal(
            [0, 1, 2, 100, 200, 400], Enumerable.Range(0, 468).Where(LogFormat.LogsStep).Where(i => i < 3 || i % 200 == 0 || i == 100));
        Assert.False(LogFormat.LogsStep(3));
        Assert.Equal([9, 11], Enumerable.Range(0, 12).Where(e => LogFormat.Evaluates(e, 12)));
    }

    [Fact]
    public void Checkpoint_SampleOrder_IsTheShuffleState_ResumingGivesTheUninterruptedOrder()
    {
        var straight = Shuffle.Identity(1000);
        for (int e = 0; e < 3; e++) Shuffle.Epoch(straight, e);

        var first = Shuffle.Identity(1000);
        for (int e = 0; e < 2; e++) Shuffle.Epoch(first, e);
        string path = Path.Combine(dir, "order.ckpt");
        (Sample() with { Epoch = 2, SampleOrder = first }).Save(path);
        var resumed = Checkpoint.Load(path);
        var order = resumed.SampleOrder;
        Shuffle.Epoch(order, resumed.Epoch);
        Assert.Equal(straight, order);

        var restarted = Shuffle.Identity(1000); // negative case: resuming from file order loses the cumulative shuffle
        Shuffle.Epoch(restarted, 2);
        Assert.NotEqual(straight, restarted);
    }
}
