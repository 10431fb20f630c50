using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>
/// Every bestiary spec's parameter count against the original's golden table (netspec facts §6; the Lean repo's
/// tests/bestiary_params.yml), written out here one row per spec so a changed formula or listing names its spec.
/// </summary>
public class BestiaryGoldenTotalsTests
{
    public static TheoryData<string, long> Goldens => new()
    {
        { "alexNet", 62_378_440L },
        { "tinyAlexNet", 2_033_290L },
        { "alphaGoPolicyNet", 3_884_737L },
        { "alphaGoValueNet", 3_977_666L },
        { "alphaGoRollout", 131_044L },
        { "tinyAlphaGo", 130_369L },
        { "alphaGoZeroPolicy", 22_734_688L },
        { "alphaGoZeroValue", 22_565_634L },
        { "alphaZeroChessPolicy", 69_352_585L },
        { "alphaZeroChessValue", 47_518_722L },
        { "tinyAlphaZeroPolicy", 245_368L },
        { "tinyAlphaZeroValue", 237_250L },
        { "bertBase", 109_088_256L },
        { "bertLarge", 334_616_576L },
        { "robertaBase", 124_250_880L },
        { "robertaLarge", 354_833_408L },
        { "tinyBERT", 937_984L },
        { "clipRN50ImageEncoder", 25_606_208L },
        { "clipTextEncoder", 63_389_696L },
        { "clipViTB32ImageEncoder", 87_848_960L },
        { "clipViTL14ImageEncoder", 303_965_952L },
        { "clipViTL14TextEncoder", 123_592_704L },
        { "tinyCLIPImageEncoder", 140_960L },
        { "tinyCLIPTextEncoder", 272_448L },
        { "convNextT", 28_587_496L },
        { "convNextS", 50_222_056L },
        { "convNextB", 88_589_288L },
        { "convNextL", 197_764_072L },
        { "tinyConvNext", 413_130L },
        { "cycleganGenerator", 11_383_427L },
        { "cycleganDiscriminator", 2_765_697L },
        { "tinyCycleGAN_G", 273_059L },
        { "tinyCycleGAN_D", 42_977L },
        { "dcganProjector", 1_654_784L },
        { "dcganGenerator", 11_146_115L },
        { "dcganDiscriminator", 11_036_417L },
        { "tinyDCGAN_G", 173_027L },
        { "tinyDCGAN_D", 167_873L },
        { "detrR50", 41_738_400L },
        { "detrR101", 60_730_528L },
        { "tinyDETR", 314_809L },
        { "deeplabv3plusResnet101", 59_222_357L },
        { "deeplabv3plusMobilenet", 5_705_237L },
        { "tinyDeepLab", 331_658L },
        { "ddpmCifar", 8_038_787L },
        { "ddpmHires", 24_314_883L },
        { "tinyDdpm", 266_147L },
        { "ddpmTimeEmbed", 328_704L },
        { "alphaFold2", 76_394_496L },
        { "alphaFold2Mini", 13_965_312L },
        { "tinyEvoformer", 443_392L },
        { "gpt1", 116_143_872L },
        { "gpt2Small", 123_654_144L },
        { "gpt2Medium", 353_775_616L },
        { "gpt2Large", 772_720_640L },
        { "gpt2XL", 1_555_974_400L },
        { "tinyGPT", 921_472L },
        { "googLeNet", 7_005_832L },
        { "inceptionV3", 23_816_456L },
        { "inceptionV4", 33_403_816L },
        { "llavaVisionEncoder", 303_506_432L },
        { "llava1Projector", 4_198_400L },
        { "llava15Projector", 20_979_712L },
        { "llavaLLM7B", 5_165_780_992L },
        { "llavaLLM13B", 10_022_865_920L },
        { "tinyLlava", 4_069_760L },
        { "leNet5", 61_706L },
        { "leNet300_100", 266_610L },
        { "mamba130M", 125_572_200L },
        { "mamba370M", 358_786_152L },
        { "mamba790M", 764_646_504L },
        { "tinyMamba", 577_000L },
        { "maskRCNNBackboneR101", 45_844_544L },
        { "maskRCNNRPN", 591_706L },
        { "maskRCNNBoxHead", 14_306_705L },
        { "maskRCNNMaskHead", 2_643_280L },
        { "tinyMaskRCNN", 1_592_736L },
        { "mobileViTS", 5_580_920L },
        { "mobileViTXS", 2_319_288L },
        { "mobileViTXXS", 1_272_920L },
        { "tinyMobileViT", 162_618L },
        { "muZeroGoRepresentation", 18_930_432L },
        { "muZeroGoDynamics", 19_483_392L },
        { "muZeroGoDynamicsReward", 46_722L },
        { "muZeroGoPredictionPolicy", 2_623_584L },
        { "muZeroGoPredictionValue", 2_454_530L },
        { "muZeroAtariRepresentation", 11_660_032L },
        { "tinyMuZeroRepresentation", 231_872L },
        { "tinyMuZeroDynamics", 259_520L },
        { "nerf", 592_900L },
        { "nerfFast", 166_660L },
        { "tinyNeRF", 46_212L },
        { "nystromformerBase", 108_497_664L },
        { "nystromformerLarge", 333_566_976L },
        { "tinyNystromformer", 921_472L },
        { "pix2pixGenerator", 67_227_971L },
        { "pix2pixDiscriminator", 2_765_697L },
        { "tinyPix2Pix_G", 319_086L },
        { "tinyPix2Pix_D", 42_977L },
        { "qanetEncoderBlock", 270_720L },
        { "qanetModelEncoderStack", 1_895_040L },
        { "tinyQANet", 31_296L },
        { "samEncoderB", 88_793_856L },
        { "samEncoderL", 307_295_232L },
        { "samEncoderH", 635_910_400L },
        { "samMaskDecoder", 3_290_112L },
        { "tinySam", 924_800L },
        { "segformerB0", 2_641_984L },
        { "segformerB2", 18_860_992L },
        { "segformerB5", 61_178_176L },
        { "segformerDecoder", 1_099_926L },
        { "tinySegFormer", 157_402L },
        { "shuffleNet1x", 1_914_736L },
        { "shuffleNet0_5x", 731_416L },
        { "shuffleNet2x", 5_642_176L },
        { "tinyShuffle", 13_514L },
        { "shuffleV2_0_5", 1_369_560L },
        { "shuffleV2_1_0", 2_286_710L },
        { "shuffleV2_1_5", 3_516_440L },
        { "shuffleV2_2_0", 7_411_126L },
        { "tinyShuffleV2", 46_314L },
        { "squeezeNet1_0", 1_251_400L },
        { "squeezeNet1_1", 1_238_440L },
        { "tinySqueezeNet", 16_906L },
        { "sdVAEEncoder", 6_975_368L },
        { "sdVAEDecoder", 6_646_147L },
        { "sdTextEncoder", 123_002_112L },
        { "sdUNet15", 202_616_004L },
        { "sdSpatialTransformerBlock", 26_238_720L },
        { "tinyStableDiffusion", 2_883_332L },
        { "swinT", 28_589_218L },
        { "swinS", 49_907_122L },
        { "swinB", 88_169_376L },
        { "tinySwin", 2_289_894L },
        { "unet", 31_036_546L },
        { "unetRgb", 31_038_218L },
        { "unetSmall", 1_927_075L },
        { "tinyUnet", 117_361L },
        { "mnistVAEEncoder", 330_040L },
        { "mnistVAEDecoder", 322_784L },
        { "cifarVAEEncoder", 963_656L },
        { "cifarVAEDecoder", 1_346_243L },
        { "tinyVAEEncoder", 1_340L },
        { "tinyVAEDecoder", 2_945L },
        { "waveNet", 426_464L },
        { "waveNet3Stack", 31_924_704L },
        { "waveNetMusic", 4_139_776L },
        { "tinyWaveNet", 24_560L },
        { "whisperTiny", 7_098_624L },
        { "whisperBase", 18_915_328L },
        { "whisperSmall", 85_056_000L },
        { "whisperMedium", 302_311_424L },
        { "whisperLarge", 629_680_640L },
        { "whisperSmallDecoder", 153_254_400L },
        { "tinyWhisper", 396_800L },
        { "xception", 21_924_976L },
        { "tinyXception", 38_602L },
        { "yolo", 271_703_550L },
        { "fastYolo", 66_648_926L },
        { "tinyYolo", 3_686_271L },
        { "yoloV3", 40_846_303L },
        { "yoloV5s", 3_025_055L },
        { "yoloV5m", 8_096_895L },
        { "yoloV8n", 741_520L },
        { "yoloV8s", 2_883_216L },
        { "yoloV11n", 838_992L },
        { "yoloV11m", 9_082_000L },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Spec_CountEqualsTheGoldenTotal(string id, long golden)
    {
        var entry = BestiaryCatalog.Find(id);
        Assert.NotNull(entry);
        Assert.Equal(golden, entry.Spec.TotalParams());
    }

    [Fact]
    public void Catalog_Holds167Specs_EachWithOneGoldenRow()
    {
        Assert.Equal(167, BestiaryCatalog.All.Count);
        var goldenIds = Goldens.Select(row => (string)row[0]).ToList();
        Assert.Equal(167, goldenIds.Distinct().Count());
        Assert.Equal(goldenIds.Order(), BestiaryCatalog.All.Select(e => e.Id).Order());
    }

    [Fact]
    public void Catalog_Has37FamiliesInTheChaptersSixDomains()
    {
        Assert.Equal(37, BestiaryCatalog.Families.Count);
        Assert.Equal([10, 3, 4, 6, 3, 11], Enum.GetValues<Domain>().Select(d => BestiaryCatalog.Families.Count(f => f.Domain == d)));
        Assert.Equal(BestiaryCatalog.All.Count, BestiaryCatalog.All.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(BestiaryCatalog.All.Count, BestiaryCatalog.All.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void GoldenCheck_RejectsASpecWithOneLayerChanged()
    {
        // AlexNet with its last dense one class short: the count moves, so the golden row would fail.
        var alexNet = BestiaryCatalog.Find("alexNet")!.Spec;
        var mutated = alexNet with { Layers = [.. alexNet.Layers.SkipLast(1), Layer.Dense(4096, 999, Activation.Identity)] };
        Assert.Equal(62_378_440L, alexNet.TotalParams());
        Assert.NotEqual(62_378_440L, mutated.TotalParams());
    }
}
