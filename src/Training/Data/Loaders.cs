using System.Buffers.Binary;
using System.IO.Compression;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Data;

/// <summary>
/// Loaders for the three on-disk layouts of training facts §5. Each reads a whole file, validates every header field,
/// the file length and every label, and only then returns; a bad file throws <see cref="DataFormatException"/>.
/// </summary>
public static class Loaders
{
    public const int IdxImagesMagic = 2051, IdxLabelsMagic = 2049, CifarRecord = 3073, Classes = 10;

    /// <summary>MNIST-format IDX images (plain, or gzip when the name ends in .gz): magic 2051, count, rows, cols, pixels.</summary>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadIdxImages(string path)
    {
        var bytes = ReadMaybeGzip(path, out string name);
        RequireLength(name, bytes, 16, "a 16-byte IDX image header");
        RequireMagic(name, bytes, IdxImagesMagic);
        int count = ReadCount(name, bytes, 4, "image count"), rows = ReadCount(name, bytes, 8, "rows"),
            cols = ReadCount(name, bytes, 12, "cols");
        if (rows == 0 || cols == 0) throw new DataFormatException(
            name, rows == 0 ? 8 : 12, "rows and cols of at least 1", $"{rows}×{cols}");
        RequireExactLength(name, bytes, 16 + (long)count * rows * cols, $"{count} images of {rows}×{cols}");
        return (count, rows, cols, bytes[16..]);
    }

    /// <summary>MNIST-format IDX labels: magic 2049, count, one byte per label (each 0–9).</summary>
    public static byte[] ReadIdxLabels(string path)
    {
        var bytes = ReadMaybeGzip(path, out string name);
        RequireLength(name, bytes, 8, "an 8-byte IDX label header");
        RequireMagic(name, bytes, IdxLabelsMagic);
        int count = ReadCount(name, bytes, 4, "label count");
        RequireExactLength(name, bytes, 8 + (long)count, $"{count} labels");
        var labels = bytes[8..];
        RequireLabels(name, labels, i => 8 + i);
        return labels;
    }

    /// <summary>
    /// An MNIST-format pair (images + labels) as one set: counts must agree, images must be 28×28. The name is the
    /// prefix ("train" or "t10k"); each file may be gzipped.
    /// </summary>
    public static ImageSet Mnist(string dir, bool train)
    {
        string prefix = train ? "train" : "t10k";
        string images = MnistFile(dir, $"{prefix}-images-idx3-ubyte"), labelsPath = MnistFile(dir, $"{prefix}-labels-idx1-ubyte");
        var (count, rows, cols, pixels) = ReadIdxImages(images);
        if (rows != 28 || cols != 28) throw new DataFormatException(images, 8, "28×28 images", $"{rows}×{cols}");
        var labels = ReadIdxLabels(labelsPath);
        if (labels.Length != count) throw new DataFormatException(
            labelsPath, 4, $"{count} labels (as many as {Path.GetFileName(images)} has images)", $"{labels.Length}");
        return new ImageSet(images, DatasetKind.Mnist, 1, rows, cols, pixels, labels);
    }

    /// <summary>The path of an MNIST file, plain or .gz; null when neither exists.</summary>
    public static string? FindMnistFile(string dir, string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);

    static string MnistFile(string dir, string name) =>
        FindMnistFile(dir, name) ?? throw new FileNotFoundException($"{Path.Combine(dir, name)}[.gz]: no such file");

    /// <summary>CIFAR-10 binary batches: 3,073-byte records (label 0–9, then R, G, B planes of 32×32), concatenated in order.</summary>
    public static ImageSet Cifar10(IReadOnlyList<string> files)
    {
        var parts = files.Select(ReadCifarFile).ToList();
        int n = parts.Sum(p => p.Labels.Length);
        var pixels = new byte[(long)n * 3072];
        var labels = new byte[n];
        int at = 0;
        foreach (var (l, p) in parts)
        {
            l.CopyTo(labels, at);
            p.CopyTo(pixels, (long)at * 3072);
            at += l.Length;
        }
        return new ImageSet(string.Join(", ", files), DatasetKind.Cifar10, 3, 32, 32, pixels, labels);
    }

    /// <summary>CIFAR-10 from a folder: data_batch_1..5.bin for training, test_batch.bin otherwise.</summary>
    public static ImageSet Cifar10(string dir, bool train) =>
        Cifar10(
            train ? Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")).ToList()
            : [Path.Combine(dir, "test_batch.bin")]);

    static (byte[] Labels, byte[] Pixels) ReadCifarFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % CifarRecord != 0)
            throw new DataFormatException(path, bytes.Length - bytes.Length % CifarRecord,
                $"a whole number of {CifarRecord}-byte records (file length a positive multiple of {CifarRecord})",
                    $"{bytes.Length} bytes");
        int n = bytes.Length / CifarRecord;
        var labels = new byte[n];
        var pixels = new byte[n * 3072];
        for (int i = 0; i < n; i++)
        {
            labels[i] = bytes[i * CifarRecord];
            Buffer.BlockCopy(bytes, i * CifarRecord + 1, pixels, i * 3072, 3072);
        }
        RequireLabels(path, labels, i => (long)i * CifarRecord);
        return (labels, pixels);
    }

    /// <summary>
    /// Imagenette preprocessed binary: uint32 little-endian count, then per image 1 label byte and 3·S·S bytes (CHW).
    /// S = 256 for train.bin, 224 for val.bin.
    /// </summary>
    public static ImageSet Imagenette(string path, int size)
    {
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length < 4) throw new DataFormatException(path, length, "a 4-byte little-endian image count", $"a {length}-byte file");
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header);
        long record = 1 + 3L * size * size, expected = 4 + count * record;
        if (length != expected)
            throw new DataFormatException(
                path, Math.Min(length, expected), $"{expected} bytes in all ({count} images of 1 + 3·{size}·{size} bytes)",
                $"{length} bytes");
        if (count * 3L * size * size > Array.MaxLength) throw new DataFormatException(
            path, 0, "an image count that fits in memory", $"{count}");
        var labels = new byte[count];
        var pixels = new byte[count * 3L * size * size];
        for (long i = 0; i < count; i++)
        {
            labels[i] = (byte)stream.ReadByte();
            stream.ReadExactly(pixels, (int)(i * 3L * size * size), 3 * size * size);
        }
        RequireLabels(path, labels, i => 4 + i * record);
        return new ImageSet(path, DatasetKind.Imagenette, 3, size, size, pixels, labels);
    }

    static byte[] ReadMaybeGzip(string path, out string name)
    {
        name = path;
        if (!path.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllBytes(path);
        name = path + " (decompressed)";
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var all = new MemoryStream();
            gz.CopyTo(all);
            return all.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, 0, "a gzip stream", $"data gzip cannot read ({e.Message})");
        }
    }

    static void RequireLength(string name, byte[] bytes, long min, string what)
    {
        if (bytes.Length < min) throw new DataFormatException(name, bytes.Length, what, $"end of file after {bytes.Length} bytes");
    }

    static void RequireExactLength(string name, byte[] bytes, long expected, string what)
    {
        if (bytes.Length < expected)
            throw new DataFormatException(
                name, bytes.Length, $"{expected} bytes in all ({what})", $"end of file (truncated by {expected - bytes.Length} bytes)");
        if (bytes.Length > expected)
            throw new DataFormatException(name, expected, $"end of file after {what}", $"{bytes.Length - expected} trailing bytes");
    }

    static void RequireMagic(string name, byte[] bytes, int magic)
    {
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic) throw new DataFormatException(name, 0, $"big-endian magic {magic}", $"{found} (0x{found:X8})");
    }

    static int ReadCount(string name, byte[] bytes, int offset, string what)
    {
        uint v = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
        if (v > int.MaxValue) throw new DataFormatException(name, offset, $"a big-endian {what} below 2^31", $"{v}");
        return (int)v;
    }

    static void RequireLabels(string name, byte[] labels, Func<int, long> offsetOf)
    {
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= Classes) throw new DataFormatException(name, offsetOf(i), $"a label 0–9 (image {i})", $"{labels[i]}");
    }
}
