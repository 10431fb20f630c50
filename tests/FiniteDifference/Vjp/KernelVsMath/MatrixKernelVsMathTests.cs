using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath.KernelMath;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.KernelVsMath;

/// <summary>
/// The structural matrix items (17–24; identity 13, 16) through MatrixKit and Compose against the catalog, at a batch of
/// matrices X (the fixed factors A, B and the scale c shared by the batch).
/// </summary>
public class MatrixKernelVsMathTests
{
    static double[] Pull(HasVjp<Mat, Mat> rule, Tensor x, Tensor dy)
    {
        var (y, pullback) = rule.Forward(new Mat(x));
        return Values(pullback(new Mat(dy.reshape(y.T.shape))).T);
    }

    static double[] JacobianOf(HasVjp<Mat, Mat> rule, Tensor x, long outputs) =>
        Jacobian((int)x.shape[0], (int)outputs, e => rule.Forward(new Mat(x)).pullback(new Mat(e.reshape(OutputShape(rule, x)))).T);

    static long[] OutputShape(HasVjp<Mat, Mat> rule, Tensor x) => rule.Apply(new Mat(x)).T.shape;

    // Sizes as the catalog's instances: (m, n, p) for A m×n · X n×p and X m×n · B n×p; (r, c) for X r×c.
    static readonly (long m, long n, long p)[] MatmulSizes = [(2, 3, 2), (3, 2, 4)];
    static readonly (long r, long c)[] MatSizes = [(2, 3), (3, 2)];

    static readonly Batching X = Batching.Of("X");
    static readonly Batching XdY = Batching.Of("X", "dY");

    static double Scale(Point p) => p.Get("c", 1).item<double>();

    [Fact, Evidence(ItemId.pdivMat_matmul_left_const, EvidenceKind.KernelVsMath)]
    public void PdivMatMatmulLeftConst_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_matmul_left_const, X, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return JacobianOf(MatrixKit.MatmulLeftConst(p.Get("A", m, n)), p.Stack("X", n, q), m * q);
    });

    [Fact, Evidence(ItemId.pdivMat_matmul_right_const, EvidenceKind.KernelVsMath)]
    public void PdivMatMatmulRightConst_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_matmul_right_const, X, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return JacobianOf(MatrixKit.MatmulRightConst(p.Get("B", n, q)), p.Stack("X", m, n), m * q);
    });

    [Fact, Evidence(ItemId.matmul_left_const_has_vjp, EvidenceKind.KernelVsMath)]
    public void MatmulLeftConstHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.matmul_left_const_has_vjp, XdY, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return Pull(MatrixKit.MatmulLeftConst(p.Get("A", m, n)), p.Stack("X", n, q), p.Stack("dY", m, q));
    });

    [Fact, Evidence(ItemId.matmul_right_const_has_vjp, EvidenceKind.KernelVsMath)]
    public void MatmulRightConstHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.matmul_right_const_has_vjp, XdY, (p, k) =>
    {
        var (m, n, q) = MatmulSizes[k];
        return Pull(MatrixKit.MatmulRightConst(p.Get("B", n, q)), p.Stack("X", m, n), p.Stack("dY", m, q));
    });

    [Fact, Evidence(ItemId.pdivMat_scalarScale, EvidenceKind.KernelVsMath)]
    public void PdivMatScalarScale_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_scalarScale, X, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return JacobianOf(MatrixKit.ScalarScale<Mat>(Scale(p)), p.Stack("X", r, c), r * c);
    });

    [Fact, Evidence(ItemId.scalarScale_has_vjp, EvidenceKind.KernelVsMath)]
    public void ScalarScaleHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.scalarScale_has_vjp, XdY, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(MatrixKit.ScalarScale<Mat>(Scale(p)), p.Stack("X", r, c), p.Stack("dY", r, c));
    });

    [Fact, Evidence(ItemId.pdivMat_transpose, EvidenceKind.KernelVsMath)]
    public void PdivMatTranspose_KernelEqualsClosedForm() => AssertAll(ItemId.pdivMat_transpose, X, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return JacobianOf(MatrixKit.Transpose(), p.Stack("X", r, c), r * c);
    });

    [Fact, Evidence(ItemId.transpose_has_vjp, EvidenceKind.KernelVsMath)]
    public void TransposeHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.transpose_has_vjp, XdY, (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(MatrixKit.Transpose(), p.Stack("X", r, c), p.Stack("dY", c, r));
    });

    [Fact, Evidence(ItemId.identityMat_has_vjp, EvidenceKind.KernelVsMath)]
    public void IdentityMatHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.identityMat_has_vjp, Batching.Of("X", "dy"), (p, k) =>
    {
        var (r, c) = MatSizes[k];
        return Pull(Compose.Identity<Mat>(), p.Stack("X", r, c), p.Stack("dy", r, c));
    });

    [Fact, Evidence(ItemId.identity_has_vjp, EvidenceKind.KernelVsMath)]
    public void IdentityHasVjp_KernelEqualsClosedForm() => AssertAll(ItemId.identity_has_vjp, Batching.Of("x", "dy"), (p, k) =>
    {
        long n = k == 0 ? 2 : 4;
        var (_, pullback) = Compose.Identity<Vec>().Forward(new Vec(p.Stack("x", n)));
        return Values(pullback(new Vec(p.Stack("dy", n))).T);
    });

    [Fact, Evidence(ItemId.pdiv_id, EvidenceKind.KernelVsMath)]
    public void PdivId_KernelEqualsClosedForm() => AssertAll(ItemId.pdiv_id, Batching.Of("x"), (p, k) =>
    {
        long n = k == 0 ? 2 : 5;
        var x = p.Stack("x", n);
        return Jacobian(p.Batch, (int)n, e => Compose.Identity<Vec>().Forward(new Vec(x)).pullback(new Vec(e)).T);
    });
}
