using LeanMlirVerify.Training.Bench;

namespace LeanMlirVerify.Oracle.Bench;

/// <summary>
/// When `lmv bench` calls the machine busy, on fabricated samples (issue 12: a loaded machine printed medians that
/// made the faster step look slower, with nothing to say so).
/// </summary>
public class SampleSpreadTests
{
    // 11 samples, so p10, the median and p90 are the 2nd, 6th and 10th of them sorted.
    static readonly double[] Quiet = [10.0, 10.0, 9.0, 10.0, 10.0, 30.0, 10.0, 10.0, 11.0, 10.0, 10.0];
    static readonly double[] Loaded = [18.0, 8.0, 9.0, 40.0, 12.0, 14.0, 15.0, 16.0, 10.0, 20.0, 22.0];

    [Fact]
    public void Relative_IsP90MinusP10OverTheMedian_WhateverTheOrder()
    {
        Assert.Equal(0.1, SampleSpread.Relative(Quiet), 12);             // (11 − 10) / 10: one preempted sample is not a spread
        Assert.Equal(13.0 / 15.0, SampleSpread.Relative(Loaded), 12);    // (22 − 9) / 15
        Assert.Equal(0.0, SampleSpread.Relative([7.5]));
        Assert.True(double.IsNaN(SampleSpread.Relative([])));
    }

    [Fact]
    public void Relative_InterpolatesBetweenSamples()
    {
        // 5 samples: p10 sits 0.4 of the way from the 1st to the 2nd, p90 0.6 of the way from the 4th to the 5th.
        Assert.Equal((19.6 - 10.4) / 14.0, SampleSpread.Relative([10.0, 11.0, 14.0, 19.0, 20.0]), 12);
    }

    [Fact]
    public void QuietSamples_AreNotBusy_AndPrintNoWarning()
    {
        var spread = SampleSpread.Of(Quiet, Quiet.Select(t => t * 1.2).ToList());
        Assert.False(spread.Busy);
        Assert.Null(spread.Warning);
    }

    [Fact]
    public void OneSideSpread_IsBusy_AndTheWarningGivesBothFigures()
    {
        var spread = SampleSpread.Of(Quiet, Loaded);
        Assert.True(spread.Busy);
        Assert.Equal("machine busy: the samples spread 10% (hand) and 87% (twin) of their medians (p90 − p10; quiet is under 25%), "
            + "so the medians and twin / hand are not reliable; rerun on an idle machine", spread.Warning);
        Assert.True(SampleSpread.Of(Loaded, Quiet).Busy);
    }

    [Fact]
    public void TheThreshold_IsASpreadAboveAQuarterOfTheMedian()
    {
        Assert.False(new SampleSpread(0.25, 0.25).Busy);
        Assert.True(new SampleSpread(0.26, 0.0).Busy);
    }
}
