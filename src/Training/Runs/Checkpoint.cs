using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

public enum TensorGroup : byte { Parameter = 0, OptimizerState = 1, BnRunningStat = 2 }

/// <summary>The element type a tensor is stored in, which is the type the run computed in.</summary>
public enum StoredDtype : byte { Float32 = 0, Float64 = 1 }

/// <summary>A tensor as stored in a checkpoint: its row-major values in its own dtype, as little-endian bytes.</summary>
public sealed record StoredTensor(string Name, TensorGroup Group, long[] Shape, StoredDtype Dtype, byte[] Bytes)
{
    public StoredTensor(string name, TensorGroup group, long[] shape, float[] values)
        : this(name, group, shape, StoredDtype.Float32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) { }

    public StoredTensor(string name, TensorGroup group, long[] shape, double[] values)
        : this(name, group, shape, StoredDtype.Float64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) { }

    public static int ElementSize(StoredDtype dtype) => dtype == StoredDtype.Float64 ? 8 : 4;

    public long Count => Bytes.LongLength / ElementSize(Dtype);

    /// <summary>The values, widened to double when stored as float32 (exact).</summary>
    public double[] Values() => Dtype == StoredDtype.Float64
        ? MemoryMarshal.Cast<byte, double>(Bytes).ToArray()
        : Array.ConvertAll(MemoryMarshal.Cast<byte, float>(Bytes).ToArray(), f => (double)f);
}

/// <summary>One point of the training curve: the loss of a step, or the test accuracy (%) after an epoch.</summary>
public sealed record CurvePoint(long Step, double Value);

/// <summary>
/// Everything a run needs to continue exactly: parameters, optimizer buffers, BN running statistics (each in the run's
/// dtype), the number of completed epochs, the global step, the shuffle state (the cumulative sample order), the config
/// and spec name, and the training curve so far (so that curve.png after a resume covers the whole run).
/// <para>
/// Layout, version 2, little-endian: magic "LMVCKPT\0" (8 bytes); uint32 version; string spec name; uint8 dataset;
/// uint8 run dtype (0 float32, 1 float64); string config JSON; int32 completed epochs; int64 global step; int32 n, then
/// n int32 sample order; twice (losses per step, then accuracies per epoch) uint32 count, then count × (int64 step,
/// float64 value); uint32 tensor count, then per tensor: uint8 group, string name, uint8 dtype, uint8 rank, rank int64
/// dims, then the values (4 or 8 bytes each); finally 32 bytes SHA-256 of every preceding byte. A string is a uint32
/// byte count and UTF-8 bytes. Version 1 (still read) had no run dtype, no curve and no tensor dtype: float32 only.
/// </para>
/// Written atomically (<see cref="AtomicFile"/>), so a crash or a full disk leaves the previous checkpoint intact.
/// </summary>
public sealed record Checkpoint(
    string SpecName, DatasetKind Dataset, TrainConfig Config, int Epoch, long Step, int[] SampleOrder, IReadOnlyList<StoredTensor> Tensors)
{
    public const uint Version = 2;
    static readonly byte[] Magic = "LMVCKPT\0"u8.ToArray();

    public StoredDtype Dtype { get; init; } = StoredDtype.Float32;
    public IReadOnlyList<CurvePoint> Losses { get; init; } = [];
    public IReadOnlyList<CurvePoint> Accuracies { get; init; } = [];

    public IEnumerable<StoredTensor> Group(TensorGroup group) => Tensors.Where(t => t.Group == group);

    /// <summary>Writes atomically; an I/O failure throws <see cref="RunIoException"/> and leaves the old file as it was.</summary>
    public void Save(string path, RunFiles? files = null)
    {
        var body = Serialize();
        AtomicFile.Write(path, stream =>
        {
            stream.Write(body);
            stream.Write(SHA256.HashData(body));
        }, files);
    }

    byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write(Magic);
        w.Write(Version);
        WriteString(w, SpecName);
        w.Write((byte)Dataset);
        w.Write((byte)Dtype);
        WriteString(w, ConfigJson.ToJson(Config).ToJsonString());
        w.Write(Epoch);
        w.Write(Step);
        w.Write(SampleOrder.Length);
        foreach (int i in SampleOrder) w.Write(i);
        foreach (var curve in new[] { Losses, Accuracies })
        {
            w.Write((uint)curve.Count);
            foreach (var p in curve)
            {
                w.Write(p.Step);
                w.Write(p.Value);
            }
        }
        w.Write((uint)Tensors.Count);
        foreach (var t in Tensors)
        {
            if (t.Count != t.Shape.Aggregate(1L, (a, d) => a * d))
                throw new ArgumentException($"checkpoint tensor {t.Name}: {t.Count} values for shape [{string.Join(", ", t.Shape)}]");
            w.Write((byte)t.Group);
            WriteString(w, t.Name);
            w.Write((byte)t.Dtype);
            w.Write((byte)t.Shape.Length);
            foreach (long d in t.Shape) w.Write(d);
            w.Write(t.Bytes);
        }
        w.Flush();
        return ms.ToArray();
    }

    static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>
    /// The fields before the sample order (spec, dataset, dtype, config, epoch, step) from the file's first bytes, not
    /// checked against the hash: enough to merge a resumed run's flags before <see cref="Load"/> reads it all.
    /// </summary>
    public static Checkpoint ReadHead(string path)
    {
        var head = new byte[Math.Min(new FileInfo(path).Length, 1 << 20)];
        using (var file = File.OpenRead(path)) file.ReadExactly(head);
        var r = new CheckedReader(path, head);
        return ReadHead(r, out _);
    }

    static Checkpoint ReadHead(CheckedReader r, out uint version)
    {
        r.Expect(Magic, "magic \"LMVCKPT\\0\"");
        version = r.UInt32("version");
        if (version is not (1 or Version)) throw r.Error(-4, $"checkpoint version 1 or {Version}", $"{version}");
        string spec = r.String("spec name");
        long datasetAt = r.Offset;
        byte dataset = r.Byte("dataset");
        if (dataset > (byte)DatasetKind.Imagenette) throw r.Error(datasetAt - r.Offset, "dataset 0–2", $"{dataset}");
        var dtype = version == 1 ? StoredDtype.Float32 : r.Dtype("run dtype");
        long configAt = r.Offset;
        string configText = r.String("config JSON");
        TrainConfig config;
        try { config = ConfigJson.FromJson(JsonNode.Parse(configText)); }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new DataFormatException(r.Path, configAt, "a valid config JSON", e.Message);
        }
        int epoch = r.Int32("completed epochs");
        long step = r.Int64("global step");
        return new Checkpoint(spec, (DatasetKind)dataset, config, epoch, step, [], []) { Dtype = dtype };
    }

    /// <summary>Reads and validates a checkpoint; a bad file throws <see cref="DataFormatException"/> (file, offset, expected).</summary>
    public static Checkpoint Load(string path)
    {
        var r = new CheckedReader(path, File.ReadAllBytes(path));
        var head = ReadHead(r, out uint version);
        int n = r.Count("sample-order length", 4);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = r.Int32("sample index");
        List<CurvePoint> losses = version == 1 ? [] : ReadCurve(r, "loss"), accuracies = version == 1 ? [] : ReadCurve(r, "accuracy");
        int count = (int)r.UInt32("tensor count");
        var tensors = new List<StoredTensor>();
        for (int i = 0; i < count; i++)
        {
            long groupAt = r.Offset;
            byte group = r.Byte("tensor group");
            if (group > (byte)TensorGroup.BnRunningStat) throw new DataFormatException(path, groupAt, "tensor group 0–2", $"{group}");
            string name = r.String("tensor name");
            var dtype = version == 1 ? StoredDtype.Float32 : r.Dtype($"dtype of {name}");
            var shape = new long[r.Byte("rank")];
            for (int d = 0; d < shape.Length; d++) shape[d] = r.Int64($"dimension {d} of {name}");
            long size = shape.Aggregate(1L, (a, d) => a * d), bytes = size * StoredTensor.ElementSize(dtype);
            if (size < 0 || bytes > r.Remaining) throw r.Error(0, $"{size} {dtype} values for {name}", $"{r.Remaining} bytes left");
            tensors.Add(new StoredTensor(name, (TensorGroup)group, shape, dtype, r.Bytes((int)bytes, name)));
        }
        long hashAt = r.Offset;
        var hash = r.Bytes(32, "SHA-256 of the preceding bytes");
        if (!hash.SequenceEqual(SHA256.HashData(r.All.AsSpan(0, (int)hashAt))))
            throw new DataFormatException(path, hashAt, "the SHA-256 of the preceding bytes (the file is corrupt)", "another hash");
        if (r.Remaining != 0) throw new DataFormatException(path, r.Offset, "end of file", $"{r.Remaining} trailing bytes");
        return head with { SampleOrder = order, Tensors = tensors, Losses = losses, Accuracies = accuracies };
    }

    static List<CurvePoint> ReadCurve(CheckedReader r, string what)
    {
        int n = r.Count($"{what} curve length", 16);
        var points = new List<CurvePoint>(n);
        for (int i = 0; i < n; i++) points.Add(new CurvePoint(r.Int64($"{what} curve step"), r.Double($"{what} curve value")));
        return points;
    }

    /// <summary>Throws unless the stored parameters and BN statistics are exactly the spec's tensors (names, shapes, order).</summary>
    public void CheckMatches(NetSpec spec)
    {
        if (spec.Name != SpecName) throw new InvalidDataException($"checkpoint is for {SpecName}, not {spec.Name}");
        var expected = ParamTensors.Of(spec).Select(t => (t.Name, t.ShapeText)).ToList();
        var stored = Group(TensorGroup.Parameter).Select(t => (t.Name, "[" + string.Join(", ", t.Shape) + "]")).ToList();
        for (int i = 0; i < Math.Max(expected.Count, stored.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : ("(none)", "");
            var s = i < stored.Count ? stored[i] : ("(none)", "");
            if (e != s) throw new InvalidDataException(
                $"checkpoint parameter {i}: the spec has {e.Item1} {e.Item2}, the checkpoint {s.Item1} {s.Item2}");
        }
        long bnFloats = Group(TensorGroup.BnRunningStat).Sum(t => t.Count);
        if (bnFloats != ParamTensors.BnStatFloats(spec))
            throw new InvalidDataException(
                $"checkpoint holds {bnFloats} BN statistics floats, the spec needs {ParamTensors.BnStatFloats(spec)}");
    }

    /// <summary>A little-endian reader whose every read names the file, offset and field when the bytes run out.</summary>
    sealed class CheckedReader(string path, byte[] bytes)
    {
        public string Path => path;
        public byte[] All => bytes;
        public long Offset { get; private set; }
        public long Remaining => bytes.Length - Offset;

        public DataFormatException Error(long delta, string expected, string found) => new(path, Offset + delta, expected, found);

        ReadOnlySpan<byte> Take(int n, string what)
        {
            if (Remaining < n) throw Error(0, $"{n} bytes of {what}", $"end of file ({Remaining} bytes left)");
            var span = bytes.AsSpan((int)Offset, n);
            Offset += n;
            return span;
        }

        public void Expect(byte[] magic, string what)
        {
            var got = Take(magic.Length, what);
            if (!got.SequenceEqual(magic)) throw Error(-magic.Length, what, Convert.ToHexString(got));
        }

        public byte Byte(string what) => Take(1, what)[0];
        public uint UInt32(string what) => BitConverter.ToUInt32(Take(4, what));
        public int Int32(string what) => BitConverter.ToInt32(Take(4, what));
        public long Int64(string what) => BitConverter.ToInt64(Take(8, what));
        public double Double(string what) => BitConverter.ToDouble(Take(8, what));

        public StoredDtype Dtype(string what)
        {
            byte b = Byte(what);
            return b <= (byte)StoredDtype.Float64 ? (StoredDtype)b : throw Error(-1, $"{what} 0 (float32) or 1 (float64)", $"{b}");
        }
        public byte[] Bytes(int n, string what) => Take(n, what).ToArray();

        public int Count(string what, int elementSize)
        {
            uint n = UInt32(what);
            if (n * (long)elementSize > Remaining) throw Error(-4, $"a {what} that fits in the {Remaining} bytes left", $"{n}");
            return (int)n;
        }

        public string String(string what) => Encoding.UTF8.GetString(Take(Count(what + " length", 1), what));
    }
}
