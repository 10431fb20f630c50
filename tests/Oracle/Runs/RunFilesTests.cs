using System.Security.Cryptography;
using System.Text;
using LeanMlirVerify.Oracle.Trainer;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Runs;

/// <summary>Atomic writes and their failures, file kinds, checkpoint dtypes and versions, torn trace lines.</summary>
public sealed class RunFilesTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("lmv-runfiles-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void AtomicWrite_OnAFullDisk_KeepsTheOldFile_LeavesNoTemp_AndNamesFileAndCause()
    {
        string path = Path.Combine(dir, "out.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        var disk = new SimulatedDisk { FullAfter = _ => 10 };
        var e = Assert.Throws<RunIoException>(() => AtomicFile.Write(path, s => s.Write(new byte[100]), disk));
        Assert.Equal($"{path}: cannot write it: no space left on device", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        AtomicFile.Write(path, s => s.Write(new byte[100]), new SimulatedDisk { FullAfter = _ => 100 }); // negative case: it fits
        Assert.Equal(100, new FileInfo(path).Length);
    }

    [Fact]
    public void Cause_SaysWhatWentWrong_WithoutRepeatingThePath()
    {
        Assert.Equal("permission denied", RunIoException.Cause(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
        Assert.Equal("no space left on device", RunIoException.Cause(SimulatedDisk.NoSpace("/x")));
        Assert.Equal("read-only file system", RunIoException.Cause(new IOException("Read-only file system : '/x'", 30)));
        Assert.Equal("something else", RunIoException.Cause(new IOException("something else.")));
    }

    [Fact]
    public void TempNames_AreRecognisedOnlyForTheirOwnFile()
    {
        string temp = Path.GetFileName(AtomicFile.TempPath(Path.Combine(dir, "checkpoint.lmvckpt")));
        Assert.True(AtomicFile.IsTempOf(temp, "checkpoint.lmvckpt"));
        Assert.True(AtomicFile.IsTempOf("x_params.bin.tmp", "x_params.bin"));
        Assert.False(AtomicFile.IsTempOf(temp, "trace.jsonl"));
        Assert.False(AtomicFile.IsTempOf(".checkpoint.lmvckpt.old", "checkpoint.lmvckpt"));
    }

    [Fact]
    public void FileKind_TellsADeviceFromAFile()
    {
        string file = Path.Combine(dir, "f");
        File.WriteAllText(file, "x");
        Assert.True(FileKind.IsRegularOrAbsent(file));
        Assert.True(FileKind.IsRegularOrAbsent(Path.Combine(dir, "absent")));
        Assert.False(FileKind.IsRegularOrAbsent("/dev/null"));
    }

    [Fact]
    public void Checkpoint_KeepsEachTensorsDtype_Float64ValuesExactly()
    {
        double[] values = [Math.PI, 1e-300, -1.0 / 3];
        var checkpoint = new Checkpoint("T", DatasetKind.Mnist, Recipes.AdamOnly(), 1, 5, [0],
            [new StoredTensor("w", TensorGroup.Parameter, [3], values), new StoredTensor("b", TensorGroup.Parameter, [1], new[] { 0.1f })])
        {
            Dtype = StoredDtype.Float64,
            Losses = [new(1, 2.5), new(2, 1.25)],
            Accuracies = [new(2, 87.5)],
        };
        string path = Path.Combine(dir, "c.lmvckpt");
        checkpoint.Save(path);
        var back = Checkpoint.Load(path);
        Assert.Equal(StoredDtype.Float64, back.Dtype);
        Assert.Equal(StoredDtype.Float64, back.Tensors[0].Dtype);
        Assert.Equal(values, back.Tensors[0].Values());
        Assert.Equal((StoredDtype.Float32, (double)0.1f), (back.Tensors[1].Dtype, back.Tensors[1].Values()[0]));
        Assert.Equal(checkpoint.Losses, back.Losses);
        Assert.Equal(checkpoint.Accuracies, back.Accuracies);
        var head = Checkpoint.ReadHead(path);
        Assert.Equal((StoredDtype.Float64, 5L, Recipes.AdamOnly()), (head.Dtype, head.Step, head.Config));
    }

    [Fact]
    public void Checkpoint_Version1File_StillLoads_AsFloat32WithoutACurve()
    {
        string path = Path.Combine(dir, "v1.lmvckpt");
        File.WriteAllBytes(path, Version1("MNIST-MLP", Recipes.S4tfBaseline(), 2, 936, [1, 0], ("L0.W", [2], [0.5f, -1.5f])));
        var back = Checkpoint.Load(path);
        Assert.Equal(("MNIST-MLP", 2, 936L, StoredDtype.Float32), (back.SpecName, back.Epoch, back.Step, back.Dtype));
        Assert.Equal([1, 0], back.SampleOrder);
        Assert.Equal([0.5, -1.5], back.Tensors[0].Values());
        Assert.Empty(back.Losses);
        var bytes = File.ReadAllBytes(path);
        bytes[^40] ^= 1; // negative case: a changed byte is still caught by the hash
        File.WriteAllBytes(path, bytes);
        Assert.Contains("SHA-256", Assert.Throws<DataFormatException>(() => Checkpoint.Load(path)).Message);
    }

    /// <summary>The version-1 layout, written independently of the code under test.</summary>
    static byte[] Version1(string spec, TrainConfig config, int epoch, long step, int[] order,
        params (string Name, long[] Shape, float[] Data)[] tensors)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); w.Write((uint)b.Length); w.Write(b); }
        w.Write("LMVCKPT\0"u8);
        w.Write(1u);
        Str(spec);
        w.Write((byte)DatasetKind.Mnist);
        Str(ConfigJson.ToJson(config).ToJsonString());
        w.Write(epoch);
        w.Write(step);
        w.Write(order.Length);
        foreach (int i in order) w.Write(i);
        w.Write((uint)tensors.Length);
        foreach (var (name, shape, data) in tensors)
        {
            w.Write((byte)TensorGroup.Parameter);
            Str(name);
            w.Write((byte)shape.Length);
            foreach (long d in shape) w.Write(d);
            foreach (float f in data) w.Write(f);
        }
        w.Flush();
        var body = ms.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    static TraceHeader Header => new("MNIST-MLP", Recipes.S4tfBaseline(), 669_706, DatasetKind.Mnist);

    [Fact]
    public void TraceReader_DropsOnlyALastLineCutShort_AndOnlyWhenAskedTo()
    {
        string path = Path.Combine(dir, "t.jsonl");
        using (var w = TraceWriter.Create(path, Header)) w.Write(new TraceStep(1, 0, 1, 0.1));
        File.AppendAllText(path, "{\"kind\":\"step\",\"st");
        var warnings = new List<string>();
        Assert.Single(TraceReader.Read(path, warnings.Add).Steps);
        Assert.Equal([$"warning: {path}: line 3 is cut short (a crash while writing it?); dropped it"], warnings);
        Assert.StartsWith($"{path}: line 3: ", Assert.Throws<FormatException>(() => TraceReader.Read(path)).Message);

        File.AppendAllText(path, "\n"); // a complete line that is not JSON is corruption, not a crash: refused
        Assert.StartsWith($"{path}: line 3: ", Assert.Throws<FormatException>(() => TraceReader.Read(path, warnings.Add)).Message);
    }
}
