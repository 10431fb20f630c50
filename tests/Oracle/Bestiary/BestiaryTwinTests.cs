using System.Diagnostics;
using LeanMlirVerify.Oracle.Graph;
using LeanMlirVerify.Training.Oracle;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>
/// Every bestiary spec `lmv train` accepts (read from the catalog through <see cref="TrainTargets.Fitting"/>, not a hand
/// list), as it trains: one float64 step at batch 2 of the hand-derived graph against the autograd twin on the same
/// parameters, every gradient tensor within 1e-10 relative. Specs over <see cref="SmallBudget"/> parameters keep their
/// full widths at 28×28 (AlexNet, YOLO, AlphaGo Zero, …) and take 10 s to minutes each in float64 here, so they run only
/// when <see cref="LargeSpecTheoryAttribute.Variable"/>=1 and are reported skipped, with that reason, otherwise.
/// </summary>
public class BestiaryTwinTests(ITestOutputHelper output)
{
    const double Bound = 1e-10;
    public const long SmallBudget = 2_500_000;

    static NetSpec Trained(string id) => TrainTargets.Resolve(id).Entry!.Spec;

    static double Smoothing => TrainTargets.BestiaryRecipe.LabelSmoothing;

    public static IEnumerable<string> Ids(bool large) => TrainTargets.Fitting
        .Where(f => f.Fit.Spec!.TotalParams() > SmallBudget == large).Select(f => f.Entry.Id);

    public static TheoryData<string> Small => new(Ids(large: false));
    public static TheoryData<string> Large => new(Ids(large: true));

    [Theory, MemberData(nameof(Small))]
    public void OneStep_EveryGradientTensorEqualsTheAutogradTwin(string id) => Check(id);

    [LargeSpecTheory, MemberData(nameof(Large))]
    public void OneStep_LargeSpec_EveryGradientTensorEqualsTheAutogradTwin(string id) => Check(id);

    void Check(string id)
    {
        using var scope = NewDisposeScope();
        var spec = Trained(id);
        var clock = Stopwatch.StartNew();
        var step = HandTwinStep.Run(spec, Smoothing);
        foreach (var row in step.Scaled) output.WriteLine(row.ToString());
        var vanishing = step.VanishingRows.Count == 0 ? "none" : string.Join(", ", step.VanishingRows.Select(r => r.Name));
        output.WriteLine($"{id}: loss hand {step.HandLoss:R}, twin {step.TwinLoss:R}; {step.Rows.Count} tensors, worst "
            + $"{step.Scaled.Max(r => r.MaxRel):E1}; vanishing (measured at the step's scale): {vanishing}; {clock.ElapsedMilliseconds} ms");
        Assert.True(double.IsFinite(step.HandLoss) && step.LossDifference <= 1e-12 * Math.Max(1, Math.Abs(step.TwinLoss)),
            $"{id}: loss {step.HandLoss:R} vs {step.TwinLoss:R}");
        step.RequireWithin(Bound, $"{id} ({spec.Name})");
        Assert.Equal(ParamTensors.Of(spec).Count, step.Rows.Count);
    }

    [Fact]
    public void TheTwoTheoriesTogetherCoverEveryFittingSpec()
    {
        // Their data is the catalog's verdict; the sizes are pinned so a spec silently dropping out shows.
        Assert.Equal(23, TrainTargets.Fitting.Count);
        Assert.Equal(TrainTargets.Fitting.Select(f => f.Entry.Id).Order(), Ids(false).Concat(Ids(true)).Order());
        Assert.Contains("tinyAlphaZeroPolicy", Ids(large: false));
        Assert.Contains("alexNet", Ids(large: true));
    }

    [Fact]
    public void AGradientOffByAPositiveFactor_IsReportedNamingTheSpecAndTensor()
    {
        using var scope = NewDisposeScope();
        const string id = "tinyAlphaZeroPolicy";
        var spec = Trained(id);
        var step = HandTwinStep.Run(spec, Smoothing, alter: (i, g) => i == 2 ? g * 1.001 : g);
        var e = Assert.Throws<GradientMismatchException>(() => step.RequireWithin(Bound, $"{id} ({spec.Name})"));
        Assert.StartsWith($"{id} ({spec.Name})", e.Message);
        Assert.Contains("1 of", e.Message);
        Assert.Contains(step.Rows[2].Name, e.Message);
    }
}

/// <summary>A theory that runs only when LMV_BESTIARY_TWIN_LARGE=1 (xunit reads Skip from the instance).</summary>
public sealed class LargeSpecTheoryAttribute : TheoryAttribute
{
    public const string Variable = "LMV_BESTIARY_TWIN_LARGE";

    public LargeSpecTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"{BestiaryTwinTests.Ids(large: true).Count()} fitting specs over {BestiaryTwinTests.SmallBudget:N0} params "
                + $"({string.Join(", ", BestiaryTwinTests.Ids(large: true))}) take 10 s to minutes each in float64; set {Variable}=1 to run them";
    }
}
