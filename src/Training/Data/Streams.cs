using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Training.Data;

/// <summary>
/// Per-epoch shuffling (training facts §4.4): in-place Fisher–Yates driven by the LCG r ← r·6364136223846793005 +
/// 1442695040888963407, j = (r &gt;&gt; 16) mod (i + 1), starting from r = (epoch + 42) xor 0x5DEECE66D. Cumulative: each
/// epoch permutes the order the previous epoch left, as the code does (the book's listing reshuffles the original).
/// </summary>
public static class Shuffle
{
    public const int SeedOffset = 42;

    /// <summary>The identity order 0..n−1 (file order, before any epoch).</summary>
    public static int[] Identity(int n) => Enumerable.Range(0, n).ToArray();

    /// <summary>Applies epoch <paramref name="epoch"/>'s shuffle to <paramref name="order"/> (position → original index).</summary>
    public static void Epoch(int[] order, int epoch)
    {
        ulong r = (ulong)(epoch + SeedOffset) ^ 0x5DEECE66DUL;
        for (int i = order.Length - 1; i >= 1; i--)
        {
            r = unchecked(r * 6364136223846793005UL + 1442695040888963407UL);
            int j = (int)((r >> 16) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}

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
