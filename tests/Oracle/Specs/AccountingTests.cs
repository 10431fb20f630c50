using LeanMlirVerify.Training.Specs;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;
using static LeanMlirVerify.Training.Specs.Padding;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>Every single-layer vector of netspec facts §7: nParams, BN layers, BN stat floats, tensor count.</summary>
public class AccountingTests
{
    public static TheoryData<Layer, long, int, long, int> SingleLayerVectors => new()
    {
        { Conv2d(1, 32, 3, Same, Relu), 320, 0, 0, 2 },
        { ConvBn(3, 64, 7, 2, Same), 9_536, 1, 128, 3 },
        { Dense(784, 512, Relu), 401_920, 0, 0, 2 },
        { ResidualBlock(64, 64, 3, 1), 221_952, 6, 768, 18 },
        { ResidualBlock(64, 128, 4, 2), 1_116_416, 9, 2_304, 27 },
        { ResidualBlock(64, 64, 2, 2), 152_192, 5, 640, 15 },
        { ResidualBlock(64, 64, 0, 1), 73_984, 0, 0, 0 },
        { BottleneckBlock(64, 256, 3, 1), 215_808, 10, 2_816, 30 },
        { BottleneckBlock(256, 256, 1, 1), 70_400, 3, 768, 9 },
        { SeparableConv(728, 728, 1), 539_448, 0, 0, 0 },
        { InvertedResidual(32, 16, 1, 1, 1), 896, 2, 96, 6 },
        { InvertedResidual(16, 24, 6, 2, 2), 13_968, 6, 1_056, 18 },
        { MbConv(16, 24, 6, 3, 2, 2, true), 29_244, 6, 1_056, 26 },
        { MbConv(16, 24, 6, 3, 2, 2, false), 13_968, 6, 1_056, 18 },
        { MbConv(1, 1, 1, 3, 1, 1, true), 18, 2, 4, 10 },
        { MbConvV3(16, 16, 16, 3, 1, false, false), 464, 2, 64, 6 },
        { MbConvV3(40, 40, 120, 5, 1, true, false), 20_510, 3, 560, 13 },
        { FusedMbConv(24, 24, 1, 3, 1, 2, false), 10_464, 2, 96, 6 },
        { FusedMbConv(32, 48, 4, 3, 2, 1, false), 43_360, 2, 352, 6 },
        { FusedMbConv(48, 64, 4, 3, 2, 2, true), 311_984, 4, 1_152, 20 },
        { Uib(48, 80, 4, 2, 3, 5), 30_832, 4, 1_024, 12 },
        { Uib(160, 160, 4, 1, 0, 0), 206_400, 2, 1_600, 6 },
        { FireModule(96, 16, 64, 64), 12_064, 0, 0, 0 },
        { PatchEmbed(3, 192, 16, 196), 185_664, 0, 0, 4 },
        { TransformerEncoder(192, 3, 768, 12), 5_338_752, 0, 0, 194 },
        { MambaBlock(768, 16, 2, 24), 86_906_880, 0, 0, 0 },
        { SwinStage(96, 3, 384, 7, 2), 224_694, 0, 0, 0 },
        { PatchMerging(96, 192), 74_688, 0, 0, 0 },
        { UnetDown(1, 64), 37_696, 0, 0, 0 },
        { UnetUp(1024, 512), 9_177_600, 0, 0, 0 },
        { TransformerDecoder(256, 8, 2048, 6, 100), 9_498_112, 0, 0, 0 },
        { DetrHeads(256, 91), 156_256, 0, 0, 0 },
        { ShuffleBlock(24, 240, 3, 4), 39_120, 0, 0, 0 },
        { ShuffleBlock(16, 2, 0, 1), 35, 0, 0, 0 },
        { ShuffleV2Block(24, 116, 4), 31_202, 0, 0, 0 },
        { ShuffleV2Block(3, 7, 2), 236, 0, 0, 0 },
        { EvoformerBlock(256, 128, 48), 75_497_472, 0, 0, 0 },
        { EvoformerBlock(3, 5, 1), 545, 0, 0, 0 },
        { StructureModule(384, 128, 8), 897_024, 0, 0, 0 },
        { StructureModule(3, 5, 99), 57, 0, 0, 0 },
        { MobileVitBlock(96, 144, 4, 288, 2), 612_864, 0, 0, 0 },
        { ConvNextStage(96, 3), 237_888, 0, 0, 0 },
        { ConvNextDownsample(96, 192), 74_112, 0, 0, 0 },
        { WaveNetBlock(32, 512, 10), 221_120, 0, 0, 0 },
        { PositionalEncoding(3, 10), 0, 0, 0, 0 },
        { NerfMlp(60, 16, 256), 592_900, 0, 0, 0 },
        { DarknetBlock(64, 1), 20_672, 0, 0, 0 },
        { CspBlock(64, 64, 1), 13_664, 0, 0, 0 },
        { CspBlock(1, 5, 2), 37, 0, 0, 0 },
        { FpnModule(256, 512, 1024, 2048, 256), 3_344_384, 0, 0, 0 },
        { AsppModule(2048, 256), 15_536_640, 0, 0, 0 },
        { InceptionModule(192, 64, 96, 128, 16, 32, 32), 164_064, 0, 0, 0 },
        { MaxPool(2, 2), 0, 0, 0, 0 },
        { AvgPool2(), 0, 0, 0, 0 },
        { GlobalAvgPool(), 0, 0, 0, 0 },
        { Flatten(), 0, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(SingleLayerVectors))]
    public void SingleLayer_MatchesTheFactSheetVector(Layer layer, long nParams, int bnLayers, long bnStatFloats, int tensors)
    {
        Assert.Equal(nParams, layer.NParams());
        Assert.Equal(bnLayers, ParamTensors.BnLayers(layer).Count);
        Assert.Equal(bnStatFloats, ParamTensors.BnStatFloats(layer));
        Assert.Equal(tensors, ParamTensors.Of(layer).Count);
        // Σ tensor sizes = nParams for trainable layers, except the degenerate nBlocks = 0 row (no tensors at all).
        long sum = ParamTensors.Of(layer).Sum(t => t.Size);
        Assert.Equal(tensors == 0 ? 0 : nParams, sum);
    }

    [Fact]
    public void SingleLayerVectors_CoverAll39ConstructorsAndThisProjectsAdditions()
    {
        var covered = SingleLayerVectors.Select(row => row[0].GetType()).ToHashSet();
        // A custom layer's count comes from its plugin (CustomLayerTests counts one); every other constructor has a row.
        var all = typeof(Layer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract && t != typeof(CustomLayer)).ToHashSet();
        // The book's 39, plus avgPool2, the worked example of docs/adding-a-layer.md.
        Assert.Equal(39, all.Count(t => t != typeof(LeanMlirVerify.Training.Specs.AvgPool2)));
        Assert.Empty(all.Except(covered));
    }

    [Fact]
    public void ZeroBlocks_ChargeTheFirstBlockButEmitNoTensors()
    {
        // "first + (n − 1)·rest" with truncated subtraction (facts §7): the count keeps block 0, codegen emits nothing.
        foreach (var layer in new Layer[] { ResidualBlock(64, 64, 0, 1), BottleneckBlock(64, 256, 0, 1),
                     InvertedResidual(16, 24, 6, 2, 0), MbConv(16, 24, 6, 3, 2, 0, true), FusedMbConv(24, 24, 1, 3, 1, 0, false) })
        {
            Assert.True(layer.NParams() > 0, layer.Compact());
            Assert.Empty(ParamTensors.Of(layer));
        }
        Assert.Equal(ResidualBlock(64, 64, 1, 1).NParams(), ResidualBlock(64, 64, 0, 1).NParams());
    }

    [Fact]
    public void Evoformer_DividesTheTripleProductNotTheLastFactor()
    {
        Assert.Equal(545, EvoformerBlock(3, 5, 1).NParams());
        Assert.NotEqual(3 * 3 * (5 / 32) + 16 * 9 + 16 * 25, EvoformerBlock(3, 5, 1).NParams()); // 544: the wrong association
    }

    [Fact]
    public void Counts_Exceed32Bits_Without_Overflow()
    {
        // GPT-2 XL-sized stacks pass 2^31; a 32-bit count would wrap.
        long n = TransformerEncoder(1600, 25, 6400, 48).NParams();
        Assert.Equal(48L * (4 * 1600 * 1600 + 2 * 1600 * 6400 + 9 * 1600 + 6400) + 2 * 1600, n);
        Assert.True(MambaBlock(4096, 16, 2, 64).NParams() > int.MaxValue);
    }

    [Fact]
    public void BestiaryConstructors_AreTiedToTheirLedgerDefinitions()
    {
        Assert.Equal("mambaBlock", MambaBlock(1, 1, 1, 1).LedgerItem);
        Assert.Equal("nerfMLP", NerfMlp(1, 1, 1).Constructor);
        Assert.Null(Dense(1, 1, Relu).LedgerItem);
        Assert.Equal("conv2d", Conv2d(1, 1, 3, Same, Relu).LedgerItem);
        Assert.Equal(("maxPool", "maxPool2"), (MaxPool(2, 2).Constructor, MaxPool(2, 2).LedgerItem));
        Assert.Equal(22, SingleLayerVectors.Select(r => (Layer)r[0]).OfType<BestiaryLayer>().Select(l => l.GetType()).Distinct().Count());
    }

    [Fact]
    public void DenseKernel_IsInputMajorAndDecayed_BiasIsNot()
    {
        var t = ParamTensors.Of(Dense(784, 512, Relu));
        Assert.Equal([784L, 512L], t[0].Shape);
        Assert.True(t[0].IsDecayed);
        Assert.Equal(784, t[0].FanIn);
        Assert.False(t[1].IsDecayed);
    }

    [Fact]
    public void MbConvSe_IsSizedFromTheExpandedWidth()
    {
        var se = ParamTensors.Of(MbConv(16, 24, 6, 3, 2, 1, true)).Single(x => x.Name == "B0.se.reduce.W");
        Assert.Equal([24L, 96L, 1L, 1L], se.Shape); // seMid = 96/4, not 16/4
        Assert.Equal(96, se.FanIn);
    }
}
