using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>The structural matrix items (21–24; identity 13, 16) through MatrixKit and Compose against the catalog.</summary>
public class MatrixKernelVsMathTests
{
    static double[] Pull(HasVjp<Mat, Mat> rule, Tensor x, Tensor dy)
    {
        var (y, pullback) = rule.Forward(new Mat(x));
        return Values(pullback(new Mat(dy.reshape(y.T.shape))).T);
    }

    static double[] JacobianOf(HasVjp<Mat, Mat> rule, Tensor x, long outputs) =>
        Jacobian((int)outputs, e => Pull(rule, x, e));

    // Sizes as the catalog's instances: (m, n, p) for A m×n · X n×p and X m×n · B n×p; (r, c) for X r×c.
    static readonly (long m, long n, long p)[] MatmulSizes = [(2, 3, 2), (3, 2, 4)];
    static readonly (long r, long c)[] MatSizes = [(2, 3), (3, 2)];

    static double Scale(Point p) => p.Get("c", 1).item<double>();

    [Fact] public void PdivMatMatmulLeftConst_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_matmul_left_const, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return JacobianOf(MatrixKit.MatmulLeftConst(p.Get("A", m, n)), p.Get("X", 1, n, q), m * q);
    });

    [Fact] public void PdivMatMatmulRightConst_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_matmul_right_const, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return JacobianOf(MatrixKit.MatmulRightConst(p.Get("B", n, q)), p.Get("X", 1, m, n), m * q);
    });

    [Fact] public void MatmulLeftConstHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.matmul_left_const_has_vjp, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return Pull(MatrixKit.MatmulLeftConst(p.Get("A", m, n)), p.Get("X", 1, n, q), p.Get("dY", m, q));
    });

    [Fact] public void MatmulRightConstHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.matmul_right_const_has_vjp, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return Pull(MatrixKit.MatmulRightConst(p.Get("B", n, q)), p.Get("X", 1, m, n), p.Get("dY", m, q));
    });

    [Fact] public void PdivMatScalarScale_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_scalarScale, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return JacobianOf(MatrixKit.ScalarScale<Mat>(Scale(p)), p.Get("X", 1, r, c), r * c);
    });

    [Fact] public void ScalarScaleHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.scalarScale_has_vjp, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(MatrixKit.ScalarScale<Mat>(Scale(p)), p.Get("X", 1, r, c), p.Get("dY", r, c));
    });

    [Fact] public void PdivMatTranspose_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_transpose, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return JacobianOf(MatrixKit.Transpose(), p.Get("X", 1, r, c), r * c);
    });

    [Fact] public void TransposeHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.transpose_has_vjp, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(MatrixKit.Transpose(), p.Get("X", 1, r, c), p.Get("dY", c, r));
    });

    [Fact] public void IdentityMatHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.identityMat_has_vjp, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(Compose.Identity<Mat>(), p.Get("X", 1, r, c), p.Get("dy", r, c));
    });

    [Fact] public void IdentityHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.identity_has_vjp, (p, k) =>
    {
        long n = k == 0 ? 2 : 4;
        var (_, pullback) = Compose.Identity<Vec>().Forward(new Vec(p.Get("x", 1, n)));
        return Values(pullback(new Vec(p.Get("dy", 1, n))).T);
    });
}
