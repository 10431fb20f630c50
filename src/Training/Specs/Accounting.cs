namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// Exact parameter accounting (netspec facts §1.4, §3): natural-number formulas in 64-bit, subtraction truncated at 0,
/// <c>·</c> and <c>/</c> left to right (so <c>a·b·c/32</c> is floor((a·b·c)/32)). Each constructor's own formula is its
/// <see cref="Layer.NParams"/>; what several of them share is here.
/// </summary>
public static class Accounting
{
    /// <summary>Truncated subtraction of the originals' natural numbers: 0 when b &gt; a.</summary>
    public static long Monus(long a, long b) => a > b ? a - b : 0;

    public static long TotalParams(this NetSpec spec) => spec.Layers.Sum(l => l.NParams());

    /// <summary>"first + (n − 1)·rest" with truncated subtraction: n = 0 still charges the first block (facts §7).</summary>
    public static long Staged(long n, long first, long rest) => first + Monus(n, 1) * rest;

    /// <summary>Squeeze-excitation on <paramref name="mid"/> channels: two 1×1 convs with bias, width max(1, mid/4).</summary>
    public static long Se(long mid) => 2 * SeMid(mid) * mid + SeMid(mid) + mid;

    public static long SeMid(long mid) => Math.Max(1, mid / 4);
}
