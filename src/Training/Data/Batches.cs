using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Data;

/// <summary>
/// Turns an <see cref="ImageSet"/> into float32 batches the way the original's loop does (training facts §4.4–4.7):
/// ⌊N/B⌋ full batches per epoch (the tail is dropped), images taken in the epoch's shuffled order, normalised, and for
/// training with <c>augment</c> cropped/flipped by the dataset's rule. Imagenette train images (256²) are always cut to
/// 224²: a random crop when augmenting, the centre crop at (16, 16) otherwise.
/// </summary>
public sealed class Batches(ImageSet set, int batchSize, bool training, bool augment)
{
    public const int ImagenetteCrop = 224;

    public int BatchSize => batchSize;
    public int BatchesPerEpoch => set.Count / batchSize;
    bool Cropping => set.Kind == DatasetKind.Imagenette && set.Height > ImagenetteCrop;
    public int Height => Cropping ? ImagenetteCrop : set.Height;
    public int Width => Cropping ? ImagenetteCrop : set.Width;
    public int FloatsPerImage => set.Channels * Height * Width;

    /// <summary>Fills <paramref name="x"/> (B·C·H·W) and <paramref name="y"/> (B) with batch <paramref name="batchIndex"/>.</summary>
    public void Fill(int[] order, int epoch, int batchIndex, Span<float> x, Span<long> y)
    {
        ulong seed = Augmentation.BatchSeed(epoch, batchIndex);
        bool randomize = training && augment;
        var crops = randomize && Cropping ? Augmentation.CropOffsets(seed, batchSize) : null;
        var flips = !randomize ? null : set.Kind switch
        {
            DatasetKind.Imagenette => Augmentation.FlipBits(seed + Augmentation.FlipSeedOffset, batchSize),
            DatasetKind.Cifar10 => Augmentation.FlipBits(seed, batchSize),
            _ => null,
        };
        var full = Cropping ? new float[set.PixelsPerImage] : null;
        for (int i = 0; i < batchSize; i++)
        {
            int index = order[batchIndex * batchSize + i];
            var dst = x.Slice(i * FloatsPerImage, FloatsPerImage);
            if (full is null) set.Normalize(index, dst);
            else
            {
                set.Normalize(index, full);
                var (y0, x0) = crops?[i] ?? (Augmentation.CenterOffset, Augmentation.CenterOffset);
                Augmentation.Crop(full, set.Channels, set.Height, ImagenetteCrop, y0, x0, dst);
            }
            if (flips?[i] == true) Augmentation.FlipHorizontal(dst, set.Channels, Height, Width);
            y[i] = set.Labels[index];
        }
    }
}
