using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>The book's transformer checks (16–21, 25): float64, ε = 1e-5, max error &lt; 1e-7, every row printed.</summary>
public class TransformerBookCheckTests(ITestOutputHelper output)
{
    void Run(string name) => FdAssert.Passes(output, BookChecks.Get(name).Run());

    [Fact]
    public void BookTransformerChecks_AreAllPresentWithTheBookNumbers()
    {
        int[] numbers = [16, 17, 18, 19, 20, 21, 25];
        Assert.Equal(numbers, BookChecks.All.Where(c => numbers.Contains(c.Number)).Select(c => c.Number));
    }

    [Fact, Evidence(ItemId.pdiv_softmax, EvidenceKind.FiniteDifference), Evidence(ItemId.softmax_has_vjp, EvidenceKind.FiniteDifference)]
    public void PdivSoftmax_PullbackJacobianMatchesCentralDifference() => Run("pdiv_softmax");

    [Fact, Evidence(ItemId.sdpa_back_Q_correct, EvidenceKind.FiniteDifference)]
    public void SdpaBackQ_QueryCotangentMatchesCentralDifference() => Run("sdpa_back_Q");

    [Fact, Evidence(ItemId.sdpa_back_K_correct, EvidenceKind.FiniteDifference)]
    public void SdpaBackK_KeyCotangentMatchesCentralDifference() => Run("sdpa_back_K");

    [Fact, Evidence(ItemId.sdpa_back_V_correct, EvidenceKind.FiniteDifference)]
    public void SdpaBackV_ValueCotangentMatchesCentralDifference() => Run("sdpa_back_V");

    [Fact, Evidence(ItemId.patchEmbed_flat_has_vjp, EvidenceKind.FiniteDifference)]
    public void PatchEmbedFlat_ImageAndParameterCotangentsMatchCentralDifference() => Run("patchEmbed_flat");

    [Fact, Evidence(ItemId.mhsa_has_vjp_mat, EvidenceKind.FiniteDifference)]
    public void MhsaHasVjpMat_QueryKeyValueCotangentsMatchCentralDifference()
    {
        var rows = BookChecks.Get("mhsa_has_vjp_mat").Run();
        Assert.Equal(3, rows.Count);
        FdAssert.Passes(output, rows);
    }

    [Fact, Evidence(ItemId.pdiv_gelu, EvidenceKind.FiniteDifference), Evidence(ItemId.geluScalarDeriv, EvidenceKind.FiniteDifference)]
    public void PdivGelu_ErfFormJacobianMatchesCentralDifference() => Run("pdiv_gelu");
}
