using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Specs;
using static LeanMlirVerify.Training.Specs.Layer;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>
/// The 22 chapter-11 constructors (ledger definitions 82–103): each count against netspec facts §7 and the integer
/// edge cases the facts call out (operator association, truncated subtraction, max(1, ·) guards, zero repeats).
/// </summary>
public class BestiaryConstructorTests
{
    public static TheoryData<Layer, long> Vectors => new()
    {
        { MambaBlock(768, 16, 2, 24), 86_906_880 },
        { SwinStage(96, 3, 384, 7, 2), 224_694 },
        { PatchMerging(96, 192), 74_688 },
        { UnetDown(1, 64), 37_696 },
        { UnetUp(1024, 512), 9_177_600 },
        { TransformerDecoder(256, 8, 2048, 6, 100), 9_498_112 },
        { DetrHeads(256, 91), 156_256 },
        { ShuffleBlock(24, 240, 3, 4), 39_120 },
        { ShuffleV2Block(24, 116, 4), 31_202 },
        { EvoformerBlock(256, 128, 48), 75_497_472 },
        { StructureModule(384, 128, 8), 897_024 },
        { MobileVitBlock(96, 144, 4, 288, 2), 612_864 },
        { ConvNextStage(96, 3), 237_888 },
        { ConvNextDownsample(96, 192), 74_112 },
        { WaveNetBlock(32, 512, 10), 221_120 },
        { PositionalEncoding(3, 10), 0 },
        { NerfMlp(60, 16, 256), 592_900 },
        { DarknetBlock(64, 1), 20_672 },
        { CspBlock(64, 64, 1), 13_664 },
        { FpnModule(256, 512, 1024, 2048, 256), 3_344_384 },
        { AsppModule(2048, 256), 15_536_640 },
        { InceptionModule(192, 64, 96, 128, 16, 32, 32), 164_064 },
    };

    /// <summary>Integer edge cases: each row exercises one rounding, guard or repeat rule of facts §1.4 / §7.</summary>
    public static TheoryData<Layer, long, string> EdgeCases => new()
    {
        { EvoformerBlock(3, 5, 1), 545, "floor((3·3·5)/32) = 1: the triple product is divided, not the last factor" },
        { StructureModule(3, 5, 99), 57, "weights shared across rounds: nBlocks does not multiply" },
        { StructureModule(384, 128, 0), 897_024, "nBlocks = 0 still counts the shared weights" },
        { ShuffleV2Block(3, 7, 2), 236, "two separate floors: 49/4 → 12, 49/2 → 24, 133/2 → 66" },
        { ShuffleBlock(16, 2, 0, 1), 35, "max(1, groups) and max(1, oc/4) guards" },
        { CspBlock(1, 5, 2), 37, "half = max(1, ic/2) guard" },
        { ShuffleBlock(24, 240, 3, 0), 6_540, "nUnits = 0 still charges the first unit (truncated n − 1)" },
        { ShuffleV2Block(24, 116, 0), 7_712, "nUnits = 0 still charges the downsample unit" },
        { MambaBlock(768, 16, 2, 0), 0, "nBlocks = 0 multiplies everything away" },
        { EvoformerBlock(256, 128, 0), 0, "nBlocks = 0 multiplies everything away" },
        { ConvNextStage(96, 0), 0, "nBlocks = 0 multiplies everything away" },
        { WaveNetBlock(32, 512, 0), 0, "nLayers = 0 multiplies everything away" },
        { DarknetBlock(64, 0), 0, "nBlocks = 0 multiplies everything away" },
        { TransformerDecoder(256, 8, 2048, 0, 100), 25_600, "nBlocks = 0 leaves only the query table" },
        { CspBlock(64, 64, 0), 8_448, "nBlocks = 0 drops only the inner darknet term" },
        { SwinStage(96, 3, 384, 0, 2), 223_680, "window 0: (2w − 1) truncates to 0, no position-bias table" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void BestiaryConstructor_CountMatchesTheFactSheetVector(Layer layer, long expected) =>
        Assert.Equal(expected, layer.NParams());

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void BestiaryConstructor_IntegerEdgeCase(Layer layer, long expected, string rule) =>
        Assert.True(expected == layer.NParams(), $"{layer.Compact()}: expected {expected}, got {layer.NParams()} ({rule})");

    [Fact]
    public void Vectors_CoverAll22BestiaryConstructors_EachTiedToItsLedgerDefinition()
    {
        var layers = Vectors.Select(row => (Layer)row[0]).ToList();
        Assert.Equal(22, layers.Select(l => l.GetType()).Distinct().Count());
        Assert.All(layers, l => Assert.NotNull(l.LedgerItem));
        Assert.All(layers, l => Assert.False(l.IsTrainable));
        var items = new[]
        {
            ItemId.mambaBlock, ItemId.swinStage, ItemId.patchMerging, ItemId.unetDown, ItemId.unetUp,
            ItemId.transformerDecoder, ItemId.detrHeads, ItemId.shuffleBlock, ItemId.shuffleV2Block, ItemId.evoformerBlock,
            ItemId.structureModule, ItemId.mobileVitBlock, ItemId.convNextStage, ItemId.convNextDownsample,
            ItemId.waveNetBlock, ItemId.positionalEncoding, ItemId.nerfMLP, ItemId.darknetBlock, ItemId.cspBlock,
            ItemId.fpnModule, ItemId.asppModule, ItemId.inceptionModule,
        };
        Assert.Equal(items, layers.Select(l => l.LedgerItem!));
    }

    [Fact]
    public void WrongAssociation_IsCaughtByTheEvoformerEdgeCase()
    {
        // The tempting cm·cm·floor(cz/32) gives 544 for (3, 5, 1): the edge row tells the two apart.
        long wrong = 16 * 3 * 3 + 3 * 3 * (5 / 32) + 16 * 5 * 5;
        Assert.Equal(544, wrong);
        Assert.NotEqual(wrong, EvoformerBlock(3, 5, 1).NParams());
    }

    [Fact]
    public void StructureModule_IgnoresItsRoundCount() =>
        Assert.Equal(StructureModule(384, 128, 1).NParams(), StructureModule(384, 128, 8).NParams());
}
