namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// Exact parameter accounting (netspec facts §1.4, §3): natural-number formulas in 64-bit, subtraction truncated at 0,
/// <c>·</c> and <c>/</c> left to right (so <c>a·b·c/32</c> is floor((a·b·c)/32)). Pooling, flatten and GAP count 0.
/// </summary>
public static class Accounting
{
    /// <summary>Truncated subtraction of the originals' natural numbers: 0 when b &gt; a.</summary>
    public static long Monus(long a, long b) => a > b ? a - b : 0;

    public static long TotalParams(this NetSpec spec) => spec.Layers.Sum(NParams);

    /// <summary>The parameter count of one layer, by the book's formula for its constructor.</summary>
    public static long NParams(this Layer layer) => layer switch
    {
        Conv2d l => l.Oc * l.Ic * l.K * l.K + l.Oc,
        ConvBn l => l.Oc * l.Ic * l.K * l.K + 2 * l.Oc,
        MaxPool or GlobalAvgPool or Flatten => 0,
        Dense l => l.FanIn * l.FanOut + l.FanOut,
        ResidualBlock l => Staged(l.NBlocks, Residual(l, first: true), Residual(l, first: false)),
        BottleneckBlock l => Staged(l.NBlocks, Bottleneck(l, first: true), Bottleneck(l, first: false)),
        SeparableConv l => (9 * l.Ic + 2 * l.Ic) + (l.Oc * l.Ic + 2 * l.Oc),
        InvertedResidual l => Staged(l.NBlocks, InvertedBlock(l, l.Ic), InvertedBlock(l, l.Oc)),
        MbConv l => Staged(l.NBlocks, MbBlock(l, l.Ic), MbBlock(l, l.Oc)),
        MbConvV3 l => (l.ExpandCh != l.Ic ? l.ExpandCh * l.Ic + 2 * l.ExpandCh : 0)
            + (l.K * l.K * l.ExpandCh + 2 * l.ExpandCh) + (l.UseSE ? Se(l.ExpandCh) : 0) + (l.Oc * l.ExpandCh + 2 * l.Oc),
        FusedMbConv l => Staged(l.NBlocks, FusedBlock(l, l.Ic), FusedBlock(l, l.Oc)),
        Uib l => (l.PreDWk > 0 ? l.Ic * l.PreDWk * l.PreDWk + 2 * l.Ic : 0) + (UibMid(l) * l.Ic + 2 * UibMid(l))
            + (l.PostDWk > 0 ? UibMid(l) * l.PostDWk * l.PostDWk + 2 * UibMid(l) : 0) + (l.Oc * UibMid(l) + 2 * l.Oc),
        FireModule l => (l.Squeeze * l.Ic + 2 * l.Squeeze) + (l.Expand1x1 * l.Squeeze + 2 * l.Expand1x1)
            + (9 * l.Expand3x3 * l.Squeeze + 2 * l.Expand3x3),
        PatchEmbed l => l.Dim * l.Ic * l.PatchSize * l.PatchSize + l.Dim + l.Dim + (l.NPatches + 1) * l.Dim,
        TransformerEncoder l => l.NBlocks * (4 * l.Dim * l.Dim + 2 * l.Dim * l.MlpDim + 9 * l.Dim + l.MlpDim) + 2 * l.Dim,

        MambaBlock l => l.NBlocks * (3 * l.Expand * l.Dim * l.Dim + 3 * l.Expand * l.Dim * l.StateSize + 5 * l.Expand * l.Dim + l.Dim),
        SwinStage l => l.NBlocks * (4 * l.Dim + 4 * (l.Dim * l.Dim + l.Dim) + Monus(2 * l.WindowSize, 1) * Monus(2 * l.WindowSize, 1) * l.Heads
            + (l.Dim * l.MlpDim + l.MlpDim) + (l.MlpDim * l.Dim + l.Dim)),
        PatchMerging l => 2 * (4 * l.InDim) + 4 * l.InDim * l.OutDim + l.OutDim,
        UnetDown l => (9 * l.Ic * l.Oc + 2 * l.Oc) + (9 * l.Oc * l.Oc + 2 * l.Oc),
        UnetUp l => (4 * l.Ic * l.Oc + l.Oc) + (9 * 2 * l.Oc * l.Oc + 2 * l.Oc) + (9 * l.Oc * l.Oc + 2 * l.Oc),
        TransformerDecoder l => l.NBlocks * (8 * l.Dim * l.Dim + 2 * l.Dim * l.MlpDim + 15 * l.Dim + l.MlpDim) + l.NQueries * l.Dim,
        DetrHeads l => l.Dim * (l.NClasses + 1) + (l.NClasses + 1) + (l.Dim * l.Dim + l.Dim) + (l.Dim * l.Dim + l.Dim) + (4 * l.Dim + 4),
        ShuffleBlock l => Staged(l.NUnits, ShuffleUnit(l, l.Ic), ShuffleUnit(l, l.Oc)),
        ShuffleV2Block l => Staged(l.NUnits,
            12 * l.Ic + l.Ic * l.Oc + 11 * l.Oc + l.Oc * l.Oc / 4,
            l.Oc * l.Oc / 2 + 19 * l.Oc / 2),
        EvoformerBlock l => l.NBlocks * (16 * l.MsaChannels * l.MsaChannels + l.MsaChannels * l.MsaChannels * l.PairChannels / 32
            + 16 * l.PairChannels * l.PairChannels),
        StructureModule l => 6 * l.SingleChannels * l.SingleChannels + l.SingleChannels * l.PairChannels / 4,
        MobileVitBlock l => (9 * l.Ic * l.Ic + 2 * l.Ic) + (l.Ic * l.Dim + 2 * l.Dim)
            + l.NTxBlocks * (4 * (l.Dim * l.Dim + l.Dim) + 2 * (l.Dim * l.MlpDim + l.MlpDim) + 4 * l.Dim) + 2 * l.Dim
            + (l.Dim * l.Ic + 2 * l.Ic) + (18 * l.Ic * l.Ic + 2 * l.Ic),
        ConvNextStage l => l.NBlocks * (8 * l.Channels * l.Channels + 58 * l.Channels),
        ConvNextDownsample l => 2 * l.Ic + 4 * l.Ic * l.Oc + l.Oc,
        WaveNetBlock l => l.NLayers * (5 * l.ResidualCh * l.ResidualCh + 3 * l.ResidualCh + l.ResidualCh * l.SkipCh + l.SkipCh),
        PositionalEncoding => 0,
        NerfMlp l => 8 * l.HiddenDim * l.HiddenDim + 2 * l.EncodedPosDim * l.HiddenDim + 138 * l.HiddenDim + 128 * l.EncodedDirDim + 516,
        DarknetBlock l => l.NBlocks * (5 * l.Channels * l.Channels + 3 * l.Channels),
        CspBlock l => 2 * (l.Ic * CspHalf(l) + 2 * CspHalf(l)) + l.NBlocks * (5 * CspHalf(l) * CspHalf(l) + 3 * CspHalf(l))
            + l.Ic * l.Oc + 2 * l.Oc,
        FpnModule l => (l.C2 + l.C3 + l.C4 + l.C5) * l.Target + 4 * l.Target + 4 * (9 * l.Target * l.Target + l.Target),
        AsppModule l => 29 * l.Ic * l.Oc + 5 * l.Oc * l.Oc + 18 * l.Oc,
        InceptionModule l => (l.Ic * l.B1 + 2 * l.B1) + (l.Ic * l.B2Reduce + 2 * l.B2Reduce) + (9 * l.B2Reduce * l.B2 + 2 * l.B2)
            + (l.Ic * l.B3Reduce + 2 * l.B3Reduce) + (25 * l.B3Reduce * l.B3 + 2 * l.B3) + (l.Ic * l.B4 + 2 * l.B4),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "no parameter formula for this constructor"),
    };

    /// <summary>"first + (n − 1)·rest" with truncated subtraction: n = 0 still charges the first block (facts §7).</summary>
    static long Staged(long n, long first, long rest) => first + Monus(n, 1) * rest;

    static long Residual(ResidualBlock l, bool first) =>
        first && !(l.Ic == l.Oc && l.FirstStride == 1)
            ? (9 * l.Oc * l.Ic + 2 * l.Oc) + (9 * l.Oc * l.Oc + 2 * l.Oc) + (l.Oc * l.Ic + 2 * l.Oc)
            : 2 * (9 * l.Oc * l.Oc + 2 * l.Oc);

    static long Bottleneck(BottleneckBlock l, bool first)
    {
        long mid = l.Oc / 4;
        return first && !(l.Ic == l.Oc && l.FirstStride == 1)
            ? (mid * l.Ic + 2 * mid) + (9 * mid * mid + 2 * mid) + (l.Oc * mid + 2 * l.Oc) + (l.Oc * l.Ic + 2 * l.Oc)
            : (mid * l.Oc + 2 * mid) + (9 * mid * mid + 2 * mid) + (l.Oc * mid + 2 * l.Oc);
    }

    static long InvertedBlock(InvertedResidual l, long c)
    {
        long mid = c * l.Expand;
        return (l.Expand != 1 ? mid * c + 2 * mid : 0) + (9 * mid + 2 * mid) + (l.Oc * mid + 2 * l.Oc);
    }

    static long MbBlock(MbConv l, long c)
    {
        long mid = c * l.Expand;
        return (l.Expand != 1 ? mid * c + 2 * mid : 0) + (l.K * l.K * mid + 2 * mid) + (l.UseSE ? Se(mid) : 0) + (l.Oc * mid + 2 * l.Oc);
    }

    static long FusedBlock(FusedMbConv l, long c)
    {
        long mid = FusedMid(l, c);
        return (mid * c * l.K * l.K + 2 * mid) + (l.UseSE ? Se(mid) : 0) + (l.Expand != 1 ? l.Oc * mid + 2 * l.Oc : 0);
    }

    /// <summary>Squeeze-excitation on <paramref name="mid"/> channels: two 1×1 convs with bias, width max(1, mid/4).</summary>
    static long Se(long mid) => 2 * SeMid(mid) * mid + SeMid(mid) + mid;

    static long ShuffleUnit(ShuffleBlock l, long c)
    {
        long g = Math.Max(1, l.Groups), mid = Math.Max(1, l.Oc / 4);
        return c * mid / g + 2 * mid + (9 * mid + 2 * mid) + mid * l.Oc / g + 2 * l.Oc;
    }

    internal static long SeMid(long mid) => Math.Max(1, mid / 4);
    internal static long FusedMid(FusedMbConv l, long c) => l.Expand == 1 ? l.Oc : c * l.Expand;
    internal static long UibMid(Uib l) => l.Ic * l.Expand;
    static long CspHalf(CspBlock l) => Math.Max(1, l.Ic / 2);
}
