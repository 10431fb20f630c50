namespace LeanMlirVerify.Training.Data;

/// <summary>
/// Augmentation streams (training facts §4.7). Per batch, seed = epoch·10000 + batchIndex. Imagenette: two xorshift
/// steps per image give the crop (y0 = s₁ mod 33, x0 = s₂ mod 33), and a second stream seeded seed + 7777 gives one
/// flip bit per image (flip when the low bit is 1). CIFAR-10: flip only, from the stream seeded with the batch seed.
/// </summary>
public static class Augmentation
{
    public const int FlipSeedOffset = 7777, CropRange = 33, CenterOffset = 16;

    public static ulong BatchSeed(int epoch, int batchIndex) => (ulong)epoch * 10000UL + (ulong)batchIndex;

    public static (int Y0, int X0)[] CropOffsets(ulong seed, int count)
    {
        var rng = new Xorshift64(seed);
        var offsets = new (int, int)[count];
        for (int i = 0; i < count; i++)
        {
            int y0 = (int)(rng.Next() % CropRange);
            offsets[i] = (y0, (int)(rng.Next() % CropRange));
        }
        return offsets;
    }

    public static bool[] FlipBits(ulong seed, int count)
    {
        var rng = new Xorshift64(seed);
        return Enumerable.Range(0, count).Select(_ => (rng.Next() & 1) == 1).ToArray();
    }

    /// <summary>Copies the <paramref name="size"/>² window at (y0, x0) of a CHW image with side <paramref name="side"/>.</summary>
    public static void Crop(ReadOnlySpan<float> image, int channels, int side, int size, int y0, int x0, Span<float> crop)
    {
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < size; y++)
                image.Slice((c * side + y0 + y) * side + x0, size).CopyTo(crop.Slice((c * size + y) * size, size));
    }

    /// <summary>Mirrors every row of a CHW image in place.</summary>
    public static void FlipHorizontal(Span<float> image, int channels, int height, int width)
    {
        for (int row = 0; row < channels * height; row++) image.Slice(row * width, width).Reverse();
    }
}
