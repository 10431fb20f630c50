using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Training.Data;

/// <summary>
/// A seeded, learnable stand-in for a dataset that is not on this machine (<c>--data synthetic</c>), in that dataset's
/// exact layout: MNIST 1×28×28, CIFAR-10 3×32×32, Imagenette 3×256×256 for training (cropped to 224 by the batcher)
/// and 3×224×224 for validation; labels 0–9, balanced. Class c is a square of class colour c at one of ten places on a
/// dim noise background. The squares sit inside the centre 3/4 of the image, so every 224 crop of a 256 image keeps
/// them, and the colours tell mirrored places apart after a flip. It measures speed and shows that the loss falls; it
/// says nothing about accuracy on real images.
/// </summary>
public static class SyntheticData
{
    /// <summary>The <c>--data</c> value that selects it.</summary>
    public const string Name = "synthetic";

    /// <summary>Train / validation image counts per dataset kind (a few batches at the book's batch size).</summary>
    public static (int Train, int Validation) Counts(DatasetKind kind) => kind switch
    {
        DatasetKind.Imagenette => (320, 64),
        _ => (2048, 256),
    };

    public static ImageSet Train(DatasetKind kind) =>
        Make(kind, Counts(kind).Train, kind == DatasetKind.Imagenette ? 256 : Side(kind), seed: 1);

    public static ImageSet Validation(DatasetKind kind) => Make(kind, Counts(kind).Validation, Side(kind), seed: 2);

    public static string Describe(DatasetKind kind)
    {
        var (train, validation) = Counts(kind);
        int c = kind == DatasetKind.Mnist ? 1 : 3, side = Side(kind);
        string trainSide = kind == DatasetKind.Imagenette ? "256×256 (cropped to 224)" : $"{side}×{side}";
        return $"SYNTHETIC data in the {kind} layout, not the real {kind}: {train} train images of {c}×{trainSide}, "
            + $"{validation} test images of {c}×{side}×{side}, seeded; class = colour and place of a square";
    }

    static int Side(DatasetKind kind) => kind switch { DatasetKind.Mnist => 28, DatasetKind.Cifar10 => 32, _ => 224 };

    /// <summary>Ten colours, one per class (R, G, B levels); a one-channel image uses the place only.</summary>
    static readonly byte[][] Colours =
    [
        [255, 40, 40], [40, 255, 40], [40, 40, 255], [255, 255, 40], [255, 40, 255],
        [40, 255, 255], [255, 255, 255], [160, 90, 40], [90, 40, 160], [40, 160, 90],
    ];

    const int NoiseLevels = 64;

    static ImageSet Make(DatasetKind kind, int count, int side, ulong seed)
    {
        int channels = kind == DatasetKind.Mnist ? 1 : 3, plane = side * side;
        var pixels = new byte[(long)count * channels * plane];
        var labels = new byte[count];
        var rng = new Xorshift64(seed);
        int square = side / 5, margin = side / 8, span = side - 2 * margin - square;
        for (int i = 0; i < count; i++)
        {
            int c = i % Loaders.Classes;
            labels[i] = (byte)c;
            var image = pixels.AsSpan(i * channels * plane, channels * plane);
            for (int p = 0; p < image.Length; p++) image[p] = (byte)(rng.Next() % NoiseLevels);
            int top = margin + c / 5 * span, left = margin + c % 5 * span / 4;
            for (int ch = 0; ch < channels; ch++)
            {
                byte level = channels == 1 ? (byte)255 : Colours[c][ch];
                for (int y = top; y < top + square; y++) image.Slice(ch * plane + y * side + left, square).Fill(level);
            }
        }
        return new ImageSet($"{Name}:{kind}", kind, channels, side, side, pixels, labels);
    }
}
