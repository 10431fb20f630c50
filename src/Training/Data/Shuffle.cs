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

