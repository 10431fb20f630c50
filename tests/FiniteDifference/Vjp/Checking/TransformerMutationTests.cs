using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>
/// Copies of the transformer backwards with one deliberate defect each; the book-style FD check and the FsCheck
/// property that pass the real rules must report each mutant failing.
/// </summary>
public class TransformerMutationTests(ITestOutputHelper output)
{
    /// <summary>Softmax whose pullback drops the rank-1 term: dx = p ⊙ dy (only the diagonal of diag(p) − ppᵀ).</summary>
    sealed class SoftmaxWithoutRankOneMutant() : HasVjp<Vec, Vec>(ItemId.softmax_has_vjp, "softmax (mutant: no −⟨p,dy⟩)")
    {
        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x)
        {
            var p = x.T.softmax(-1);
            return (new Vec(p), dy => new Vec(p * dy.T));
        }
    }

    /// <summary>
    /// Single-head SDPA of packed Q | K | V whose backward swaps the roles of K and Q: dQ = dZᵀ·Q and dK = dZ·K
    /// (the correct ones are dQ = dZ·K, dK = dZᵀ·Q). Forward as the real rule.
    /// </summary>
    sealed class SdpaKQSwappedMutant(long d) : HasVjp<Mat, Mat>(ItemId.mhsa_has_vjp_mat, "sdpa (mutant: K and Q swapped in the backward)")
    {
        protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x)
        {
            Tensor q = x.T.narrow(2, 0, d), k = x.T.narrow(2, d, d), v = x.T.narrow(2, 2 * d, d);
            var a = matmul(q, k.transpose(1, 2)).Div(Math.Sqrt(d)).softmax(-1);
            return (new Mat(matmul(a, v)), dy =>
            {
                var dA = matmul(dy.T, v.transpose(1, 2));
                var dZ = (a * (dA - (a * dA).sum(-1, keepdim: true))).Div(Math.Sqrt(d));
                return new Mat(cat([matmul(dZ.transpose(1, 2), q), matmul(dZ, k), matmul(a.transpose(1, 2), dy.T)], 2));
            });
        }
    }


    [Fact]
    public void SoftmaxWithoutRankOneMutant_IsReportedFailingByBookCheckAndProperty()
    {
        using var scope = NewDisposeScope();
        var x = BookChecks.InitFor(16).Point(1, 5);
        FdAssert.Fails(output, [VjpCheck.Jacobian(CheckCase.Of(new SoftmaxWithoutRankOneMutant(), x, "C=5"), "pdiv_softmax")]);
        FdAssert.PropertyIsFalsified(output,
            init => CheckCase.Of(new SoftmaxWithoutRankOneMutant(), init.Point(init.Int(1, 3), init.Int(2, 6))));
    }

    [Fact]
    public void SdpaKQSwappedMutant_IsReportedFailingByFdCheckAndProperty()
    {
        using var scope = NewDisposeScope();
        var init = BookChecks.InitFor(17);
        var x = init.Point(1, 4, 9);
        var c = CheckCase.Of(new SdpaKQSwappedMutant(3), x, "n=4 tokens, d=3");
        // The real packed rule passes the same check at the same point, so the failure is the mutation's.
        var real = CheckCase.Of(Attention.Packed(3), x, "n=4 tokens, d=3");
        FdAssert.Passes(output, VjpCheck.Cotangent(real, init.Point(1, 4, 3), "sdpa (real)"));
        FdAssert.Fails(output, VjpCheck.Cotangent(c, init.Point(1, 4, 3), "sdpa_back_Q/K (mutant)", parameters: false));
        FdAssert.PropertyIsFalsified(output, i =>
        {
            long d = i.Int(2, 4), n = i.Int(2, 5);
            return CheckCase.Of(new SdpaKQSwappedMutant(d), i.Point(i.Int(1, 3), n, 3 * d));
        });
    }
}
