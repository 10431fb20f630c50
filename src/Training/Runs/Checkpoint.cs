using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

public enum TensorGroup : byte { Parameter = 0, OptimizerState = 1, BnRunningStat = 2 }

/// <summary>A float32 tensor as stored in a checkpoint, row-major.</summary>
public sealed record StoredTensor(string Name, TensorGroup Group, long[] Shape, float[] Data);

/// <summary>
/// Everything a run needs to continue exactly: parameters, optimizer buffers, BN running statistics, the number of
/// completed epochs, the global step, the shuffle state (the cumulative sample order) and the config and spec name.
/// <para>
/// Layout, version 1, little-endian: magic "LMVCKPT\0" (8 bytes); uint32 version; string spec name; uint8 dataset;
/// string config JSON; int32 completed epochs; int64 global step; int32 n, then n int32 sample order; uint32 tensor
/// count, then per tensor: uint8 group, string name, uint8 rank, rank int64 dims, then float32 data; finally 32 bytes
/// SHA-256 of every preceding byte. A string is a uint32 byte count and UTF-8 bytes.
/// </para>
/// Written atomically (temp file in the same folder, flushed, then renamed over the target), so a crash leaves the
/// previous checkpoint intact.
/// </summary>
public sealed record Checkpoint(
    string SpecName, DatasetKind Dataset, TrainConfig Config, int Epoch, long Step, int[] SampleOrder, IReadOnlyList<StoredTensor> Tensors)
{
    public const uint Version = 1;
    static readonly byte[] Magic = "LMVCKPT\0"u8.ToArray();

    public IEnumerable<StoredTensor> Group(TensorGroup group) => Tensors.Where(t => t.Group == group);

    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                var body = Serialize();
                file.Write(body);
                file.Write(SHA256.HashData(body));
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write(Magic);
        w.Write(Version);
        WriteString(w, SpecName);
        w.Write((byte)Dataset);
        WriteString(w, ConfigJson.ToJson(Config).ToJsonString());
        w.Write(Epoch);
        w.Write(Step);
        w.Write(SampleOrder.Length);
        foreach (int i in SampleOrder) w.Write(i);
        w.Write((uint)Tensors.Count);
        foreach (var t in Tensors)
        {
            if (t.Data.LongLength != t.Shape.Aggregate(1L, (a, d) => a * d))
                throw new ArgumentException($"checkpoint tensor {t.Name}: {t.Data.Length} values for shape [{string.Join(", ", t.Shape)}]");
            w.Write((byte)t.Group);
            WriteString(w, t.Name);
            w.Write((byte)t.Shape.Length);
            foreach (long d in t.Shape) w.Write(d);
            foreach (float f in t.Data) w.Write(f);
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

    /// <summary>Reads and validates a checkpoint; a bad file throws <see cref="DataFormatException"/> (file, offset, expected).</summary>
    public static Checkpoint Load(string path)
    {
        var r = new CheckedReader(path, File.ReadAllBytes(path));
        r.Expect(Magic, "magic \"LMVCKPT\\0\"");
        uint version = r.UInt32("version");
        if (version != Version) throw r.Error(-4, $"checkpoint version {Version}", $"{version}");
        string spec = r.String("spec name");
        long datasetAt = r.Offset;
        byte dataset = r.Byte("dataset");
        if (dataset > (byte)DatasetKind.Imagenette) throw r.Error(datasetAt - r.Offset, "dataset 0–2", $"{dataset}");
        long configAt = r.Offset;
        string configText = r.String("config JSON");
        TrainConfig config;
        try { config = ConfigJson.FromJson(JsonNode.Parse(configText)); }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new DataFormatException(path, configAt, "a valid config JSON", e.Message);
        }
        int epoch = r.Int32("completed epochs");
        long step = r.Int64("global step");
        int n = r.Count("sample-order length", 4);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = r.Int32("sample index");
        int count = (int)r.UInt32("tensor count");
        var tensors = new List<StoredTensor>();
        for (int i = 0; i < count; i++)
        {
            long groupAt = r.Offset;
            byte group = r.Byte("tensor group");
            if (group > (byte)TensorGroup.BnRunningStat) throw new DataFormatException(path, groupAt, "tensor group 0–2", $"{group}");
            string name = r.String("tensor name");
            var shape = new long[r.Byte("rank")];
            for (int d = 0; d < shape.Length; d++) shape[d] = r.Int64($"dimension {d} of {name}");
            long size = shape.Aggregate(1L, (a, d) => a * d);
            if (size < 0 || size * 4 > r.Remaining) throw r.Error(0, $"{size} float32 values for {name}", $"{r.Remaining} bytes left");
            var data = new float[size];
            for (long k = 0; k < size; k++) data[k] = r.Single(name);
            tensors.Add(new StoredTensor(name, (TensorGroup)group, shape, data));
        }
        long hashAt = r.Offset;
        var hash = r.Bytes(32, "SHA-256 of the preceding bytes");
        if (!hash.SequenceEqual(SHA256.HashData(r.All.AsSpan(0, (int)hashAt))))
            throw new DataFormatException(path, hashAt, "the SHA-256 of the preceding bytes (the file is corrupt)", "another hash");
        if (r.Remaining != 0) throw new DataFormatException(path, r.Offset, "end of file", $"{r.Remaining} trailing bytes");
        return new Checkpoint(spec, (DatasetKind)dataset, config, epoch, step, order, tensors);
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
            if (e != s) throw new InvalidDataException($"checkpoint parameter {i}: the spec has {e.Item1} {e.Item2}, the checkpoint {s.Item1} {s.Item2}");
        }
        long bnFloats = Group(TensorGroup.BnRunningStat).Sum(t => t.Data.LongLength);
        if (bnFloats != ParamTensors.BnStatFloats(spec))
            throw new InvalidDataException($"checkpoint holds {bnFloats} BN statistics floats, the spec needs {ParamTensors.BnStatFloats(spec)}");
    }

    /// <summary>A little-endian reader whose every read names the file, offset and field when the bytes run out.</summary>
    sealed class CheckedReader(string path, byte[] bytes)
    {
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
        public float Single(string what) => BitConverter.ToSingle(Take(4, what));
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
