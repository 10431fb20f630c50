using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Data;

/// <summary>A data file that does not hold what its format promises: names the file, the byte offset and what was expected.</summary>
public sealed class DataFormatException(string file, long offset, string expected, string found)
    : Exception($"{file}: at byte offset {offset}: expected {expected}, found {found}")
{
    public string File { get; } = file;
    public long Offset { get; } = offset;
}

/// <summary>
/// A fully loaded, validated image set: raw pixel bytes (one image contiguous, CHW) and labels 0–9. Pixels stay bytes
/// (4× smaller than float32; Imagenette's train set is 1.9 GB as bytes) and are normalised per batch (training facts §4.6).
/// </summary>
public sealed class ImageSet
{
    public ImageSet(string source, DatasetKind kind, int channels, int height, int width, byte[] pixels, byte[] labels)
    {
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new ArgumentException(
                $"{source}: {pixels.LongLength} pixel bytes do not make {labels.Length} images of {channels}×{height}×{width}");
        (Source, Kind, Channels, Height, Width, Pixels, Labels) = (source, kind, channels, height, width, pixels, labels);
    }

    public string Source { get; }
    public DatasetKind Kind { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;
    public int PixelsPerImage => Channels * Height * Width;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>Writes image <paramref name="index"/> as normalised float32 CHW into <paramref name="x"/>.</summary>
    public void Normalize(int index, Span<float> x) => PixelNormalization.Apply(Kind, Image(index), Channels, x);
}

/// <summary>
/// Pixel normalisation (training facts §4.6): MNIST and CIFAR-10 x/255; Imagenette (x/255 − mean_c)·(1/std_c) with the
/// ImageNet statistics. Computed in float32 as the original's C helpers do.
/// </summary>
public static class PixelNormalization
{
    static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    static readonly float[] InvStd = [1f / 0.229f, 1f / 0.224f, 1f / 0.225f];

    public static void Apply(DatasetKind kind, ReadOnlySpan<byte> pixels, int channels, Span<float> x)
    {
        int plane = pixels.Length / channels;
        for (int i = 0; i < pixels.Length; i++)
        {
            float v = pixels[i] / 255f;
            if (kind == DatasetKind.Imagenette) v = (v - Mean[i / plane]) * InvStd[i / plane];
            x[i] = v;
        }
    }
}
