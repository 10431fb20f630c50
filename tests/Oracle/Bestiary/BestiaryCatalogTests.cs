using LeanMlirVerify.Training.Bestiary;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>Looking specs and domains up the way `lmv bestiary` does, and what its table rows say.</summary>
public class BestiaryCatalogTests
{
    [Theory]
    [InlineData("leNet5")]
    [InlineData("LENET5")]
    [InlineData("LeNet-5")]
    public void Find_AcceptsTheIdentifierOrTheDisplayName_IgnoringCase(string name) =>
        Assert.Equal("leNet5", BestiaryCatalog.Find(name)?.Id);

    [Theory]
    [InlineData("lenet")]
    [InlineData("")]
    public void Find_ReturnsNullForAnUnknownName(string name) => Assert.Null(BestiaryCatalog.Find(name));

    [Theory]
    [InlineData("detection", Domain.ObjectDetection)]
    [InlineData("Object detection", Domain.ObjectDetection)]
    [InlineData("11.2.5", Domain.ReinforcementLearning)]
    [InlineData("BeyondVision", Domain.BeyondVision)]
    public void DomainInfo_FindAcceptsKeyTitleEnumNameOrSection(string text, Domain domain) =>
        Assert.Equal(domain, DomainInfo.Find(text)?.Domain);

    [Fact]
    public void DomainInfo_FindReturnsNullForAnUnknownDomain() => Assert.Null(DomainInfo.Find("audio"));

    [Fact]
    public void Rows_FilterByDomain_AndCoverTheCatalog()
    {
        Assert.Equal(BestiaryCatalog.All.Count, Enum.GetValues<Domain>().Sum(d => BestiaryReport.Rows(d).Count));
        Assert.Equal(18, BestiaryReport.Rows(Domain.ObjectDetection).Count);
        Assert.All(BestiaryReport.Rows(Domain.ObjectDetection), r => Assert.Equal(Domain.ObjectDetection, r.Entry.Domain));
    }

    [Fact]
    public void Row_ShowsTheRatioAgainstThePaperWhenTheBookGivesOne()
    {
        var alexNet = BestiaryReport.Row(BestiaryCatalog.Find("alexNet")!);
        Assert.Equal("1.04× paper", alexNet.RatioText);
        Assert.True(alexNet.FigureConsistent);
        Assert.False(alexNet.Trainable);
        Assert.Equal("1.01× book", BestiaryReport.Row(BestiaryCatalog.Find("leNet5")!).RatioText);
        Assert.Equal("—", BestiaryReport.Row(BestiaryCatalog.Find("tinyAlexNet")!).RatioText);
    }

    [Fact]
    public void Layers_CarryShapesOnlyForSpecsThatChain()
    {
        var tiny = BestiaryReport.Layers(BestiaryCatalog.Find("tinyAlexNet")!);
        Assert.Equal("[10]", tiny[^1].Output?.ToString());
        Assert.Equal(2_033_290L, tiny.Sum(l => l.Params));
        Assert.All(BestiaryReport.Layers(BestiaryCatalog.Find("unet")!), l => Assert.Null(l.Output));
    }

    [Fact]
    public void EveryApproximationTheBookStates_IsNotedOnItsSpecs()
    {
        // The linear list cannot express these; the table must say so on each spec that relies on them.
        foreach (var id in new[] { "unet", "pix2pixGenerator", "maskRCNNBackboneR101", "tinyMaskRCNN", "samEncoderB", "whisperSmall",
                     "clipTextEncoder", "dcganGenerator", "yoloV8n", "alphaFold2", "deeplabv3plusResnet101", "segformerB2", "llavaLLM7B" })
            Assert.False(string.IsNullOrWhiteSpace(BestiaryCatalog.Find(id)!.Note), id);
        Assert.Contains("unetUp", BestiaryCatalog.Find("unet")!.Note);
        Assert.Contains("fpnModule", BestiaryCatalog.Find("maskRCNNBackboneR101")!.Note);
    }
}
