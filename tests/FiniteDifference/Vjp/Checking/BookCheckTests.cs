using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>The book's finite-difference checks (facts sheet §1.2), one test each, float64, ε = 1e-5, error &lt; 1e-7.</summary>
public class BookCheckTests(ITestOutputHelper output)
{
    void Run(string name) => FdAssert.Passes(output, BookChecks.Get(name).Run());

    [Fact, Evidence(ItemId.pdiv_id, EvidenceKind.FiniteDifference), Evidence(ItemId.identity_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivId_IdentityJacobianIsTheIdentityMatrix() => Run("pdiv_id");

    [Fact, Evidence(ItemId.pdiv_dense, EvidenceKind.FiniteDifference), Evidence(ItemId.dense_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivDense_PullbackJacobianMatchesCentralDifference() => Run("pdiv_dense");

    [Fact, Evidence(ItemId.pdiv_dense_W, EvidenceKind.FiniteDifference),
     Evidence(ItemId.dense_weight_grad_correct, EvidenceKind.FiniteDifference)]
    public void PdivDenseW_WeightCotangentMatchesCentralDifference() => Run("pdiv_dense_W");

    [Fact, Evidence(ItemId.dense_bias_grad_correct, EvidenceKind.FiniteDifference)]
    public void PdivDenseB_BiasCotangentMatchesCentralDifference() => Run("pdiv_dense_b");

    [Fact, Evidence(ItemId.pdiv_relu, EvidenceKind.FiniteDifference), Evidence(ItemId.relu_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivRelu_PullbackJacobianMatchesCentralDifference() => Run("pdiv_relu");

    [Fact, Evidence(ItemId.softmaxCE_grad, EvidenceKind.FiniteDifference)]
    public void SoftmaxCeGrad_GradientMatchesCentralDifference() => Run("softmaxCE_grad");

    [Fact, Evidence(ItemId.mlp_has_vjp, EvidenceKind.FiniteDifference)]
    public void MlpHasVjp_InputGradientOfTheLossMatchesCentralDifference() => Run("mlp_has_vjp");

    [Fact, Evidence(ItemId.conv2d_has_vjp3, EvidenceKind.FiniteDifference)]
    public void Conv2dInputGrad_MatchesCentralDifference() => Run("conv2d_input_grad");

    [Fact, Evidence(ItemId.conv2d_weight_grad_has_vjp, EvidenceKind.FiniteDifference)]
    public void Conv2dWeightGrad_MatchesCentralDifference() => Run("conv2d_weight_grad");

    [Fact, Evidence(ItemId.conv2d_bias_grad_has_vjp, EvidenceKind.FiniteDifference)]
    public void Conv2dBiasGrad_MatchesCentralDifference() => Run("conv2d_bias_grad");

    [Fact, Evidence(ItemId.maxPool2_has_vjp3, EvidenceKind.FiniteDifference)]
    public void MaxPool2InputGrad_MatchesCentralDifference() => Run("maxPool2_input_grad");

    [Fact, Evidence(ItemId.bnNormalize_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivBnNormalize_ThreeTermPullbackMatchesCentralDifference() => Run("pdiv_bnNormalize");

    [Fact, Evidence(ItemId.pdiv_bnCentered, EvidenceKind.FiniteDifference)]
    public void PdivBnCentered_PullbackJacobianMatchesCentralDifference() => Run("pdiv_bnCentered");

    [Fact, Evidence(ItemId.pdiv_bnIstdBroadcast, EvidenceKind.FiniteDifference),
     Evidence(ItemId.bnIstdBroadcast_diff, EvidenceKind.FiniteDifference)]
    public void PdivBnIstdBroadcast_PullbackJacobianMatchesCentralDifference() => Run("pdiv_bnIstdBroadcast");

    [Fact, Evidence(ItemId.pdiv_bnAffine, EvidenceKind.FiniteDifference), Evidence(ItemId.bnAffine_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivBnAffine_PullbackJacobianMatchesCentralDifference() => Run("pdiv_bnAffine");

    [Fact, Evidence(ItemId.depthwise_has_vjp3, EvidenceKind.FiniteDifference)]
    public void DepthwiseInputGrad_MatchesCentralDifference() => Run("depthwise_input_grad");

    [Fact, Evidence(ItemId.depthwise_weight_grad_has_vjp3, EvidenceKind.FiniteDifference)]
    public void DepthwiseWeightGrad_MatchesCentralDifference() => Run("depthwise_weight_grad");

    [Fact, Evidence(ItemId.depthwise_bias_grad_has_vjp, EvidenceKind.FiniteDifference)]
    public void DepthwiseBiasGrad_MatchesCentralDifference() => Run("depthwise_bias_grad");

    [Fact]
    public void FdSuite_RunsEveryBookCheckAndAllPass()
    {
        var rows = FdSuite.Run();
        FdAssert.Passes(output, rows);
        Assert.Equal(BookChecks.All.Count, rows.Select(r => r.Check.Split(' ')[0]).Distinct().Count());
    }

    [Fact]
    public void FdSuite_UnknownFilterIsAnError() =>
        Assert.Throws<KeyNotFoundException>(() => FdSuite.Run("no_such_item"));
}
