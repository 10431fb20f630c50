using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>The book's finite-difference checks (facts sheet §1.2), one test each, float64, ε = 1e-5, error &lt; 1e-7.</summary>
public class BookCheckTests(ITestOutputHelper output)
{
    void Run(string name) => FdAssert.Passes(output, BookChecks.Get(name).Run());

    [Fact, Evidence(ItemId.pdiv_id, EvidenceKind.FiniteDifference), Evidence(ItemId.identity_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivId_IdentityJacobianIsTheIdentityMatrix() => Run("pdiv_id");

    [Fact, Evidence(ItemId.pdiv_dense, EvidenceKind.FiniteDifference), Evidence(ItemId.dense_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivDense_PullbackJacobianMatchesCentralDifference() => Run("pdiv_dense");

    [Fact, Evidence(ItemId.pdiv_dense_W, EvidenceKind.FiniteDifference), Evidence(ItemId.dense_weight_grad_correct, EvidenceKind.FiniteDifference)]
    public void PdivDenseW_WeightCotangentMatchesCentralDifference() => Run("pdiv_dense_W");

    [Fact, Evidence(ItemId.dense_bias_grad_correct, EvidenceKind.FiniteDifference)]
    public void PdivDenseB_BiasCotangentMatchesCentralDifference() => Run("pdiv_dense_b");

    [Fact, Evidence(ItemId.pdiv_relu, EvidenceKind.FiniteDifference), Evidence(ItemId.relu_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivRelu_PullbackJacobianMatchesCentralDifference() => Run("pdiv_relu");
}
