using System.Buffers.Binary;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>
/// A tiny learnable MNIST-format dataset written as real IDX files to a temp folder: class c is a bright 6×6 square
/// at a class-specific place on a faint noise background, so a small net learns it in a few steps.
/// </summary>
sealed class TinyData : IDisposable
{
    public TinyData(int train = 64, int test = 40)
    {
        Dir = Directory.CreateTempSubdirectory("lmv-trainer-").FullName;
        Write("train", train, seed: 1);
        Write("t10k", test, seed: 2);
    }

    TinyData(string dir) => Dir = dir;

    public string Dir { get; }
    public string Out(string name) => Path.Combine(Dir, name);

    /// <summary>True when the folder holds the real Fashion-MNIST training set rather than the tiny fixture.</summary>
    public bool IsFashionMnist { get; private init; }

    static readonly Lazy<(ImageSet Train, ImageSet Test)> Fashion = new(() =>
    {
        var location = new DataLocator().Locate(DatasetKind.Mnist);
        return (location.LoadTrain(), location.LoadValidation());
    });

    /// <summary>
    /// The first <paramref name="trainImages"/> and <paramref name="testImages"/> images of the real Fashion-MNIST, written
    /// as plain IDX files (each run then loads a small file instead of decompressing 60,000 images); the tiny fixture
    /// when Fashion-MNIST is not installed.
    /// </summary>
    public static TinyData FashionSubset(int trainImages, int testImages)
    {
        if (DataLocator.MissingMnistFiles(DataLocator.FashionMnistDir).Count > 0) return new TinyData();
        var data = new TinyData(Directory.CreateTempSubdirectory("lmv-fashion-").FullName) { IsFashionMnist = true };
        var (train, test) = Fashion.Value;
        data.WriteIdx("train", train.Pixels[..(trainImages * 784)], train.Labels[..trainImages]);
        data.WriteIdx("t10k", test.Pixels[..(testImages * 784)], test.Labels[..testImages]);
        return data;
    }

    void Write(string prefix, int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 10;
            labels[i] = (byte)c;
            for (int p = 0; p < 784; p++) pixels[i * 784 + p] = (byte)rng.Next(0, 40);
            int top = 2 + (c / 5) * 12, left = 2 + (c % 5) * 5;
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 4; x++) pixels[i * 784 + (top + y) * 28 + left + x] = 250;
        }
        WriteIdx(prefix, pixels, labels);
    }

    void WriteIdx(string prefix, byte[] pixels, byte[] labels)
    {
        File.WriteAllBytes(Path.Combine(Dir, $"{prefix}-images-idx3-ubyte"), [.. BigEndian(2051, labels.Length, 28, 28), .. pixels]);
        File.WriteAllBytes(Path.Combine(Dir, $"{prefix}-labels-idx1-ubyte"), [.. BigEndian(2049, labels.Length), .. labels]);
    }

    static byte[] BigEndian(params int[] words) =>
        words.SelectMany(w => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, w); return b; }).ToArray();

    /// <summary>Options writing everything under <paramref name="run"/> in this folder, no PNG (speed).</summary>
    public TrainOptions Options(string run) => new() { DataDir = Dir, OutDir = Out(run), Plot = false };

    public static NetSpec Mlp => new("Tiny-MLP", [Layer.Dense(784, 16, Activation.Relu), Layer.Dense(16, 10, Activation.Identity)]);

    /// <summary>convBn (BN running stats), max-pool, flatten, dense: the parts a checkpoint must carry beyond an MLP.</summary>
    public static NetSpec ConvBn => new("Tiny-ConvBn",
        [Layer.ConvBn(1, 2, 3, 1, Padding.Same), Layer.MaxPool(2, 2), Layer.Flatten(), Layer.Dense(392, 10, Activation.Identity)]);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
