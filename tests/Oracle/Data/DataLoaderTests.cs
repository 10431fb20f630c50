using System.Buffers.Binary;
using System.IO.Compression;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Data;

/// <summary>Small files in the real formats, good and bad, written to a temp folder.</summary>
public sealed class DataLoaderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("lmv-data-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(dir, name);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        return path;
    }

    static byte[] BigEndian(params int[] words) =>
        words.SelectMany(w => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, w); return b; }).ToArray();

    static byte[] IdxImages(int count, int rows = 28, int cols = 28, int magic = 2051) =>
        [.. BigEndian(magic, count, rows, cols), .. Enumerable.Range(0, count * rows * cols).Select(i => (byte)(i % 251))];

    static byte[] IdxLabels(params byte[] labels) => [.. BigEndian(2049, labels.Length), .. labels];

    void WriteMnist(string prefix, int count, bool gzip = false)
    {
        string gz = gzip ? ".gz" : "";
        Write($"{prefix}-images-idx3-ubyte{gz}", IdxImages(count), gzip);
        Write($"{prefix}-labels-idx1-ubyte{gz}", IdxLabels(Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray()), gzip);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mnist_PlainAndGzip_LoadImagesLabelsAndPixels(bool gzip)
    {
        WriteMnist("train", 3, gzip);
        var set = Loaders.Mnist(dir, train: true);
        Assert.Equal((3, 1, 28, 28), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal([0, 1, 2], set.Labels);
        Assert.Equal((byte)(784 % 251), set.Image(1)[0]);
        var x = new float[784];
        set.Normalize(1, x);
        Assert.Equal(784 % 251 / 255f, x[0]);
    }

    [Fact]
    public void Idx_WrongMagic_NamesFileOffsetAndExpected()
    {
        string path = Write("bad-images", IdxImages(1, magic: 2049));
        var e = Assert.Throws<DataFormatException>(() => Loaders.ReadIdxImages(path));
        Assert.Equal(0, e.Offset);
        Assert.Equal($"{path}: at byte offset 0: expected big-endian magic 2051, found 2049 (0x00000801)", e.Message);
    }

    [Fact]
    public void Idx_Truncated_SaysHowManyBytesAreMissing()
    {
        string path = Write("short-images", IdxImages(2)[..^10]);
        var e = Assert.Throws<DataFormatException>(() => Loaders.ReadIdxImages(path));
        Assert.Equal(16 + 2 * 784 - 10, e.Offset);
        Assert.Contains("expected 1584 bytes in all (2 images of 28×28)", e.Message);
        Assert.Contains("truncated by 10 bytes", e.Message);
    }

    [Fact]
    public void Idx_TruncatedHeader_And_TrailingBytes_AreRefused()
    {
        Assert.Equal(10, Assert.Throws<DataFormatException>(() => Loaders.ReadIdxImages(Write("h", IdxImages(1)[..10]))).Offset);
        var e = Assert.Throws<DataFormatException>(() => Loaders.ReadIdxLabels(Write("l", [.. IdxLabels(1, 2), 7])));
        Assert.Equal(10, e.Offset);
        Assert.Contains("1 trailing bytes", e.Message);
    }

    [Fact]
    public void Idx_WrongCount_IsATruncatedFile()
    {
        var bytes = IdxImages(2);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 3); // claims 3 images, holds 2
        var e = Assert.Throws<DataFormatException>(() => Loaders.ReadIdxImages(Write("count", bytes)));
        Assert.Contains("3 images of 28×28", e.Message);
    }

    [Fact]
    public void Idx_LabelOutOfRange_NamesItsOffset()
    {
        var e = Assert.Throws<DataFormatException>(() => Loaders.ReadIdxLabels(Write("labels", IdxLabels(1, 2, 12))));
        Assert.Equal(10, e.Offset);
        Assert.Contains("expected a label 0–9 (image 2), found 12", e.Message);
    }

    [Fact]
    public void Mnist_ImageAndLabelCountsMustAgree_AndImagesMustBe28x28()
    {
        Write("t10k-images-idx3-ubyte", IdxImages(3));
        Write("t10k-labels-idx1-ubyte", IdxLabels(1, 2));
        var e = Assert.Throws<DataFormatException>(() => Loaders.Mnist(dir, train: false));
        Assert.Equal(4, e.Offset);
        Assert.Contains("expected 3 labels", e.Message);
        Write("t10k-images-idx3-ubyte", IdxImages(2, 14, 14));
        Assert.Contains(
            "expected 28×28 images, found 14×14", Assert.Throws<DataFormatException>(() => Loaders.Mnist(dir, train: false)).Message);
    }

    [Fact]
    public void Gzip_Corrupt_IsRefused_WithTheFileName()
    {
        string path = Write("x-images-idx3-ubyte.gz", [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]);
        var e = Assert.ThrowsAny<Exception>(() => Loaders.ReadIdxImages(path));
        Assert.Contains(path, e.Message);
    }

    static byte[] CifarRecords(params byte[] labels) =>
        labels.SelectMany(l => new[] { l }.Concat(Enumerable.Range(0, 3072).Select(i => (byte)(i / 1024 * 100 + l)))).ToArray();

    [Fact]
    public void Cifar_RecordsLoadAsChwPlanesWithLabels()
    {
        var set = Loaders.Cifar10([Write("a.bin", CifarRecords(3, 7)), Write("b.bin", CifarRecords(9))]);
        Assert.Equal((3, 3, 32, 32), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal([3, 7, 9], set.Labels);
        Assert.Equal([7, 107, 207], new[] { set.Image(1)[0], set.Image(1)[1024], set.Image(1)[2048] });
    }

    [Fact]
    public void Cifar_PartialRecordAndBadLabel_AreRefused()
    {
        var partial = Assert.Throws<DataFormatException>(() => Loaders.Cifar10([Write("p.bin", CifarRecords(1, 2)[..^5])]));
        Assert.Equal(3073, partial.Offset);
        Assert.Contains("multiple of 3073", partial.Message);
        var label = Assert.Throws<DataFormatException>(() => Loaders.Cifar10([Write("l.bin", CifarRecords(1, 10))]));
        Assert.Equal(3073, label.Offset);
        Assert.Throws<DataFormatException>(() => Loaders.Cifar10([Write("e.bin", [])]));
    }

    static byte[] Imagenette(int size, params byte[] labels)
    {
        var b = new List<byte>(BitConverter.GetBytes((uint)labels.Length));
        foreach (var l in labels) { b.Add(l); b.AddRange(Enumerable.Range(0, 3 * size * size).Select(i => (byte)(i % 256))); }
        return b.ToArray();
    }

    [Fact]
    public void Imagenette_LoadsAndNormalisesWithImageNetStatistics()
    {
        var set = Loaders.Imagenette(Write("val.bin", Imagenette(4, 2, 5)), 4);
        Assert.Equal([2, 5], set.Labels);
        var x = new float[48];
        set.Normalize(0, x);
        Assert.Equal((0 / 255f - 0.485f) * (1f / 0.229f), x[0]);
        Assert.Equal((16 / 255f - 0.456f) * (1f / 0.224f), x[16]);
    }

    [Fact]
    public void Imagenette_WrongSizeOrCountOrLabel_IsRefused()
    {
        var wrongSize = Assert.Throws<DataFormatException>(() => Loaders.Imagenette(Write("t.bin", Imagenette(4, 1)), 5));
        Assert.Contains("1 images of 1 + 3·5·5 bytes", wrongSize.Message);
        var bytes = Imagenette(4, 1, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 3);
        Assert.Throws<DataFormatException>(() => Loaders.Imagenette(Write("c.bin", bytes), 4));
        var label = Assert.Throws<DataFormatException>(() => Loaders.Imagenette(Write("l.bin", Imagenette(4, 1, 11)), 4));
        Assert.Equal(4 + 49, label.Offset);
        Assert.Throws<DataFormatException>(() => Loaders.Imagenette(Write("z.bin", [1, 0]), 4));
    }

    [Fact]
    public void Batches_ImagenetteTrain_CropsToTheCentreWithoutAugment_AndRandomlyWithIt()
    {
        var set = new ImageSet("mem", DatasetKind.Imagenette, 3, 256, 256,
            Enumerable.Range(0, 2 * 3 * 256 * 256).Select(i => (byte)(i % 256 == 0 ? i / 256 % 256 : 0)).ToArray(), [1, 4]);
        var x = new float[2 * 3 * 224 * 224];
        var y = new long[2];
        new Batches(set, 2, training: true, augment: false).Fill([1, 0], 0, 0, x, y);
        Assert.Equal([4L, 1L], y);
        var first = new float[3 * 256 * 256];
        set.Normalize(1, first);
        Assert.Equal(first[16 * 256 + 16], x[0]);
        new Batches(set, 2, training: true, augment: true).Fill([1, 0], 0, 0, x, y);
        var (y0, x0) = Augmentation.CropOffsets(0, 2)[0];
        bool flipped = Augmentation.FlipBits(7777, 2)[0];
        Assert.Equal(first[(y0 * 256) + x0 + (flipped ? 223 : 0)], x[0]);
    }

    [Fact]
    public void Batches_DropTheTail_AndFollowTheOrder()
    {
        var set = new ImageSet("mem", DatasetKind.Mnist, 1, 28, 28, new byte[5 * 784], [0, 1, 2, 3, 4]);
        var b = new Batches(set, 2, training: true, augment: true);
        Assert.Equal(2, b.BatchesPerEpoch);
        var y = new long[2];
        b.Fill([4, 3, 2, 1, 0], 0, 1, new float[2 * 784], y);
        Assert.Equal([2L, 1L], y);
    }

    [Fact]
    public void Locator_UsesDataDir_OrFashionMnist_AndOtherwisePrintsTheInstallCommand()
    {
        var missing = new DataLocator(Path.Combine(dir, "absent"));
        var e = Assert.Throws<DataNotFoundException>(() => missing.Locate(DatasetKind.Mnist));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--data Y", Assert.Throws<DataNotFoundException>(() => missing.Locate(DatasetKind.Mnist, "Y")).Message);
        WriteMnist("train", 2, gzip: true);
        WriteMnist("t10k", 2);
        var here = new DataLocator(dir).Locate(DatasetKind.Mnist);
        Assert.Contains("Fashion-MNIST", here.Description);
        Assert.Equal(2, here.LoadValidation().Count);
        Assert.Equal(dir, missing.Locate(DatasetKind.Mnist, dir).Dir);
        Assert.Contains("no Debian package", Assert.Throws<DataNotFoundException>(() => missing.Locate(DatasetKind.Cifar10, dir)).Message);
    }

    /// <summary>The folders the README tells a user to use: the CIFAR-10 tarball's own folder, and imagenette/ under --data.</summary>
    [Fact]
    public void Locator_FindsCifarInTheTarballsFolder_AndImagenetteInItsSubfolder()
    {
        Directory.CreateDirectory(Path.Combine(dir, "cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) Write(Path.Combine("cifar-10-batches-bin", $"data_batch_{i}.bin"), CifarRecords((byte)i));
        Write(Path.Combine("cifar-10-batches-bin", "test_batch.bin"), CifarRecords(0, 9));
        var cifar = new DataLocator(dir).Locate(DatasetKind.Cifar10, dir);
        Assert.Equal(Path.Combine(dir, "cifar-10-batches-bin"), cifar.Dir);
        Assert.Equal([1, 2, 3, 4, 5], cifar.LoadTrain().Labels);
        Assert.Equal(2, cifar.LoadValidation().Count);

        Directory.CreateDirectory(Path.Combine(dir, "imagenette"));
        Write(Path.Combine("imagenette", "train.bin"), Imagenette(256, 3));
        Write(Path.Combine("imagenette", "val.bin"), Imagenette(224, 4, 6));
        var imagenette = new DataLocator(dir).Locate(DatasetKind.Imagenette, dir);
        Assert.Equal(Path.Combine(dir, "imagenette"), imagenette.Dir);
        Assert.Equal((256, 224), (imagenette.LoadTrain().Height, imagenette.LoadValidation().Height));
    }
}
