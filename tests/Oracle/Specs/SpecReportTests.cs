using LeanMlirVerify.Training.Specs;
using static LeanMlirVerify.Training.Specs.Activation;
using static LeanMlirVerify.Training.Specs.Layer;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>The per-layer table behind <c>lmv params</c>, as the facts sheet tabulates the Part-1 nets.</summary>
public class SpecReportTests
{
    [Fact]
    public void MnistMlp_ReportHasTheFactSheetRows()
    {
        var r = SpecReport.Of(PartOneSpecs.MnistMlp);
        Assert.Equal(
            [("input", "[784]", (long?)null), ("fc(784→512,relu)", "[512]", 401_920), ("fc(512→512,relu)", "[512]", 262_656),
            ("fc(512→10,id)", "[10]", 5_130)],
            r.Rows.Select(x => (x.Layer, x.Output, x.Params)));
        Assert.Equal((669_706L, 0, 0L, 6, true), (r.TotalParams, r.BnLayers, r.BnStatFloats, r.Tensors, r.Trainable));
    }

    [Fact]
    public void MobileNetV2_BnColumn_ListsUpToThreeChannelsElseTheirSum()
    {
        var rows = SpecReport.Of(PartOneSpecs.MobileNetV2).Rows;
        Assert.Equal("2 (32, 16)", rows[2].Bn);
        Assert.Equal("6 (Σch=528)", rows[3].Bn);
        Assert.Equal("3 (960, 960, 320)", rows[8].Bn);
        Assert.Equal("1 (1280)", rows[9].Bn);
    }

    [Fact]
    public void AccountingOnlySpec_HasNoShapes_ButIsStillChannelValidated()
    {
        var lenet = new NetSpec("tiny", [UnetDown(1, 8), UnetUp(8, 4), Dense(4, 2, Identity)]);
        var r = SpecReport.Of(lenet);
        Assert.False(r.Trainable);
        Assert.All(r.Rows, row => Assert.Equal("—", row.Output));
        Assert.Equal(lenet.TotalParams(), r.TotalParams);
        var bad = new NetSpec("bad", [UnetDown(1, 8), UnetUp(7, 4)]);
        Assert.Equal(1, Assert.Throws<SpecException>(() => SpecReport.Of(bad)).LayerIndex);
    }
}
