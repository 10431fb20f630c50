using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Oracle;
using LeanMlirVerify.Training.Specs;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Graph;

/// <summary>
/// One training step of a whole catalog net, float64, batch 2, full resolution: the trainer's graph (Vjp rules only)
/// against the independent autograd twin on the same He-initialised parameters, every gradient tensor compared.
/// </summary>
public class WholeNetworkTwinTests(ITestOutputHelper output)
{
    const double Bound = 1e-10;

    [Theory, Evidence(ItemId.mlp_has_vjp, EvidenceKind.Oracle)]
    [InlineData("mnist-mlp", 0.0)]
    [InlineData("mnist-cnn", 0.0)]
    [InlineData("mnist-cnn-bn", 0.1)]
    [InlineData("cifar-cnn", 0.0)]
    [InlineData("cifar-bn", 0.1)]
    public void WholeNet_EveryGradientTensorEqualsTheAutogradTwin(string net, double smoothing)
    {
        using var scope = NewDisposeScope();
        var (handLoss, twinLoss, rows) = HandTwinStep.Run(Catalog.Find(net)!.Spec, smoothing);
        foreach (var row in rows) output.WriteLine(row.ToString());
        output.WriteLine($"{net}: loss hand {handLoss:R}, twin {twinLoss:R}");
        Assert.True(Math.Abs(handLoss - twinLoss) <= 1e-12 * Math.Max(1, Math.Abs(twinLoss)), $"{net}: loss {handLoss:R} vs {twinLoss:R}");
        new StepComparison(handLoss, twinLoss, rows).RequireWithin(Bound, net);
        Assert.Equal(ParamTensors.Of(Catalog.Find(net)!.Spec).Count, rows.Count);
    }

    [Fact]
    public void AGradientOffByAPositiveFactor_IsReportedNamingTheTensor()
    {
        using var scope = NewDisposeScope();
        var (_, _, rows) = HandTwinStep.Run(Catalog.Find("mnist-cnn-bn")!.Spec, 0.1, alter: (i, g) => i == 3 ? g * 1.001 : g);
        var e = Assert.Throws<GradientMismatchException>(() => GradientComparison.RequireWithin(rows, Bound, "mnist-cnn-bn"));
        Assert.Contains(rows[3].Name, e.Message);
    }
}
