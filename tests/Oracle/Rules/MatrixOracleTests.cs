using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>The matrix kit (items 21–25) against autograd of the plain tensor expressions; float32 c = 4, n = inner size.</summary>
[Collection(OracleCollection.Name)]
public class MatrixOracleTests(ITestOutputHelper output)
{
    static Mat X(Init init) => new(init.Point(3, 5, 7));

    [Fact, Evidence(ItemId.matmul_left_const_has_vjp, EvidenceKind.Oracle)]
    public void MatmulLeftConst_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init =>
        {
            var a = init.Normal([4, 5]);
            return new OracleCase<Mat, Mat>(MatrixKit.MatmulLeftConst(a), (x, _) => a.matmul(x), X(init));
        }, c: 4, n: 5, output);

    [Fact, Evidence(ItemId.matmul_right_const_has_vjp, EvidenceKind.Oracle)]
    public void MatmulRightConst_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(init =>
        {
            var b = init.Normal([7, 2]);
            return new OracleCase<Mat, Mat>(MatrixKit.MatmulRightConst(b), (x, _) => x.matmul(b), X(init));
        }, c: 4, n: 7, output);

    [Fact, Evidence(ItemId.scalarScale_has_vjp, EvidenceKind.Oracle)]
    public void ScalarScale_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(
            init => new OracleCase<Mat, Mat>(MatrixKit.ScalarScale<Mat>(-0.37), (x, _) => x.Mul(-0.37), X(init)), c: 1, n: 1, output);

    [Fact, Evidence(ItemId.transpose_has_vjp, EvidenceKind.Oracle)]
    public void Transpose_InputCotangentMatchesAutograd() =>
        OracleHarness.Check(
            init => new OracleCase<Mat, Mat>(MatrixKit.Transpose(), (x, _) => x.transpose(1, 2), X(init)), c: 0, n: 1, output);

    [Fact, Evidence(ItemId.rowwise_has_vjp_mat, EvidenceKind.Oracle)]
    public void RowWiseDense_CotangentsMatchAutograd() =>
        // Each token row through one shared dense layer: its parameter cotangents sum over batch × rows (n = 15).
        OracleHarness.Check(init => new OracleCase<Mat, Mat>(
            MatrixKit.RowWise(new Dense(init.Normal([7, 4]), init.Normal([4]), "fc")),
            (x, p) => TwinOps.Dense(x, p[0], p[1]), X(init)), c: 4, n: 15, output);
}
