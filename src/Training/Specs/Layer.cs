using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// One of the book's 39 layer constructors (netspec facts §3). Arguments keep the book's declaration order, so
/// <c>Layer.Dense(784, 512, Activation.Relu)</c> reads like <c>.dense 784 512 .relu</c>. Counts are natural numbers
/// held as <see cref="long"/>; accounting is exact 64-bit (see <see cref="Accounting"/>).
/// </summary>
public abstract record Layer
{
    /// <summary>The book's constructor name (camelCase, as in the listings and the ledger).</summary>
    public virtual string Constructor => char.ToLowerInvariant(GetType().Name[0]) + GetType().Name[1..];

    /// <summary>True for the 15 constructors with a forward/backward here (facts §2.7); the rest are accounting only.</summary>
    public virtual bool IsTrainable => false;

    /// <summary>
    /// The ledger definition this constructor realises: Definition 38 (conv2d), 42 (maxPool2) and the bestiary's 82–103;
    /// null where the book numbers no definition (the other Part-1 blocks are compositions its theorems cover).
    /// </summary>
    public virtual string? LedgerItem => null;

    // Part 1: the 15 codegen-backed constructors.
    public static Conv2d Conv2d(long ic, long oc, long k, Padding pad, Activation act) => new(ic, oc, k, pad, act);
    public static ConvBn ConvBn(long ic, long oc, long k, long stride, Padding pad) => new(ic, oc, k, stride, pad);
    public static MaxPool MaxPool(long size, long stride) => new(size, stride);
    public static GlobalAvgPool GlobalAvgPool() => new();
    public static Flatten Flatten() => new();
    public static Dense Dense(long fanIn, long fanOut, Activation act) => new(fanIn, fanOut, act);
    public static ResidualBlock ResidualBlock(long ic, long oc, long nBlocks, long firstStride) => new(ic, oc, nBlocks, firstStride);
    public static BottleneckBlock BottleneckBlock(long ic, long oc, long nBlocks, long firstStride) => new(ic, oc, nBlocks, firstStride);
    public static InvertedResidual InvertedResidual(long ic, long oc, long expand, long stride, long nBlocks) => new(ic, oc, expand, stride, nBlocks);
    public static MbConv MbConv(long ic, long oc, long expand, long k, long stride, long nBlocks, bool useSE) => new(ic, oc, expand, k, stride, nBlocks, useSE);
    public static MbConvV3 MbConvV3(long ic, long oc, long expandCh, long k, long stride, bool useSE, bool useHSwish) => new(ic, oc, expandCh, k, stride, useSE, useHSwish);
    public static FusedMbConv FusedMbConv(long ic, long oc, long expand, long k, long stride, long nBlocks, bool useSE) => new(ic, oc, expand, k, stride, nBlocks, useSE);
    public static Uib Uib(long ic, long oc, long expand, long stride, long preDWk, long postDWk) => new(ic, oc, expand, stride, preDWk, postDWk);
    public static PatchEmbed PatchEmbed(long ic, long dim, long patchSize, long nPatches) => new(ic, dim, patchSize, nPatches);
    public static TransformerEncoder TransformerEncoder(long dim, long heads, long mlpDim, long nBlocks) => new(dim, heads, mlpDim, nBlocks);

    // Part 1, accounting only (no forward in the original either).
    public static SeparableConv SeparableConv(long ic, long oc, long stride) => new(ic, oc, stride);
    public static FireModule FireModule(long ic, long squeeze, long expand1x1, long expand3x3) => new(ic, squeeze, expand1x1, expand3x3);

    // Bestiary (chapter 11, definitions 82–103): parameter formula and channels only.
    public static MambaBlock MambaBlock(long dim, long stateSize, long expand, long nBlocks) => new(dim, stateSize, expand, nBlocks);
    public static SwinStage SwinStage(long dim, long heads, long mlpDim, long windowSize, long nBlocks) => new(dim, heads, mlpDim, windowSize, nBlocks);
    public static PatchMerging PatchMerging(long inDim, long outDim) => new(inDim, outDim);
    public static UnetDown UnetDown(long ic, long oc) => new(ic, oc);
    public static UnetUp UnetUp(long ic, long oc) => new(ic, oc);
    public static TransformerDecoder TransformerDecoder(long dim, long heads, long mlpDim, long nBlocks, long nQueries) => new(dim, heads, mlpDim, nBlocks, nQueries);
    public static DetrHeads DetrHeads(long dim, long nClasses) => new(dim, nClasses);
    public static ShuffleBlock ShuffleBlock(long ic, long oc, long groups, long nUnits) => new(ic, oc, groups, nUnits);
    public static ShuffleV2Block ShuffleV2Block(long ic, long oc, long nUnits) => new(ic, oc, nUnits);
    public static EvoformerBlock EvoformerBlock(long msaChannels, long pairChannels, long nBlocks) => new(msaChannels, pairChannels, nBlocks);
    public static StructureModule StructureModule(long singleChannels, long pairChannels, long nBlocks) => new(singleChannels, pairChannels, nBlocks);
    public static MobileVitBlock MobileVitBlock(long ic, long dim, long heads, long mlpDim, long nTxBlocks) => new(ic, dim, heads, mlpDim, nTxBlocks);
    public static ConvNextStage ConvNextStage(long channels, long nBlocks) => new(channels, nBlocks);
    public static ConvNextDownsample ConvNextDownsample(long ic, long oc) => new(ic, oc);
    public static WaveNetBlock WaveNetBlock(long residualCh, long skipCh, long nLayers) => new(residualCh, skipCh, nLayers);
    public static PositionalEncoding PositionalEncoding(long inputDim, long numFrequencies) => new(inputDim, numFrequencies);
    public static NerfMlp NerfMlp(long encodedPosDim, long encodedDirDim, long hiddenDim) => new(encodedPosDim, encodedDirDim, hiddenDim);
    public static DarknetBlock DarknetBlock(long channels, long nBlocks) => new(channels, nBlocks);
    public static CspBlock CspBlock(long ic, long oc, long nBlocks) => new(ic, oc, nBlocks);
    public static FpnModule FpnModule(long c2, long c3, long c4, long c5, long target) => new(c2, c3, c4, c5, target);
    public static AsppModule AsppModule(long ic, long oc) => new(ic, oc);
    public static InceptionModule InceptionModule(long ic, long b1, long b2Reduce, long b2, long b3Reduce, long b3, long b4) => new(ic, b1, b2Reduce, b2, b3Reduce, b3, b4);
}

/// <summary>A constructor with a forward and backward here (facts §2.7).</summary>
public abstract record TrainableLayer : Layer
{
    public override bool IsTrainable => true;
}

/// <summary>A chapter-11 constructor: parameter formula and channel numbers only, tied to its ledger definition.</summary>
public abstract record BestiaryLayer(string Item) : Layer
{
    public override string Constructor => Item;
    public override string? LedgerItem => Item;
}

public sealed record Conv2d(long Ic, long Oc, long K, Padding Pad, Activation Act) : TrainableLayer
{
    public override string? LedgerItem => ItemId.conv2d;
}
public sealed record ConvBn(long Ic, long Oc, long K, long Stride, Padding Pad) : TrainableLayer;
/// <summary>Max pooling; the book's Definition 42 is the 2×2/2 case, the general window follows the SAME rule.</summary>
public sealed record MaxPool(long Size, long Stride) : TrainableLayer
{
    public override string? LedgerItem => ItemId.maxPool2;
}
public sealed record GlobalAvgPool() : TrainableLayer;
public sealed record Flatten() : TrainableLayer;
public sealed record Dense(long FanIn, long FanOut, Activation Act) : TrainableLayer;
public sealed record ResidualBlock(long Ic, long Oc, long NBlocks, long FirstStride) : TrainableLayer;
public sealed record BottleneckBlock(long Ic, long Oc, long NBlocks, long FirstStride) : TrainableLayer;
public sealed record InvertedResidual(long Ic, long Oc, long Expand, long Stride, long NBlocks) : TrainableLayer;
public sealed record MbConv(long Ic, long Oc, long Expand, long K, long Stride, long NBlocks, bool UseSE) : TrainableLayer;
public sealed record MbConvV3(long Ic, long Oc, long ExpandCh, long K, long Stride, bool UseSE, bool UseHSwish) : TrainableLayer;
public sealed record FusedMbConv(long Ic, long Oc, long Expand, long K, long Stride, long NBlocks, bool UseSE) : TrainableLayer;
public sealed record Uib(long Ic, long Oc, long Expand, long Stride, long PreDWk, long PostDWk) : TrainableLayer;
public sealed record PatchEmbed(long Ic, long Dim, long PatchSize, long NPatches) : TrainableLayer;
public sealed record TransformerEncoder(long Dim, long Heads, long MlpDim, long NBlocks) : TrainableLayer;

public sealed record SeparableConv(long Ic, long Oc, long Stride) : Layer;
public sealed record FireModule(long Ic, long Squeeze, long Expand1x1, long Expand3x3) : Layer;

public sealed record MambaBlock(long Dim, long StateSize, long Expand, long NBlocks) : BestiaryLayer(ItemId.mambaBlock);
public sealed record SwinStage(long Dim, long Heads, long MlpDim, long WindowSize, long NBlocks) : BestiaryLayer(ItemId.swinStage);
public sealed record PatchMerging(long InDim, long OutDim) : BestiaryLayer(ItemId.patchMerging);
public sealed record UnetDown(long Ic, long Oc) : BestiaryLayer(ItemId.unetDown);
public sealed record UnetUp(long Ic, long Oc) : BestiaryLayer(ItemId.unetUp);
public sealed record TransformerDecoder(long Dim, long Heads, long MlpDim, long NBlocks, long NQueries) : BestiaryLayer(ItemId.transformerDecoder);
public sealed record DetrHeads(long Dim, long NClasses) : BestiaryLayer(ItemId.detrHeads);
public sealed record ShuffleBlock(long Ic, long Oc, long Groups, long NUnits) : BestiaryLayer(ItemId.shuffleBlock);
public sealed record ShuffleV2Block(long Ic, long Oc, long NUnits) : BestiaryLayer(ItemId.shuffleV2Block);
public sealed record EvoformerBlock(long MsaChannels, long PairChannels, long NBlocks) : BestiaryLayer(ItemId.evoformerBlock);
public sealed record StructureModule(long SingleChannels, long PairChannels, long NBlocks) : BestiaryLayer(ItemId.structureModule);
public sealed record MobileVitBlock(long Ic, long Dim, long Heads, long MlpDim, long NTxBlocks) : BestiaryLayer(ItemId.mobileVitBlock);
public sealed record ConvNextStage(long Channels, long NBlocks) : BestiaryLayer(ItemId.convNextStage);
public sealed record ConvNextDownsample(long Ic, long Oc) : BestiaryLayer(ItemId.convNextDownsample);
public sealed record WaveNetBlock(long ResidualCh, long SkipCh, long NLayers) : BestiaryLayer(ItemId.waveNetBlock);
public sealed record PositionalEncoding(long InputDim, long NumFrequencies) : BestiaryLayer(ItemId.positionalEncoding);
public sealed record NerfMlp(long EncodedPosDim, long EncodedDirDim, long HiddenDim) : BestiaryLayer(ItemId.nerfMLP);
public sealed record DarknetBlock(long Channels, long NBlocks) : BestiaryLayer(ItemId.darknetBlock);
public sealed record CspBlock(long Ic, long Oc, long NBlocks) : BestiaryLayer(ItemId.cspBlock);
public sealed record FpnModule(long C2, long C3, long C4, long C5, long Target) : BestiaryLayer(ItemId.fpnModule);
public sealed record AsppModule(long Ic, long Oc) : BestiaryLayer(ItemId.asppModule);
public sealed record InceptionModule(long Ic, long B1, long B2Reduce, long B2, long B3Reduce, long B3, long B4) : BestiaryLayer(ItemId.inceptionModule);
