using LeanMlirVerify.Calculus.Ledger;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>The matrix half of chapter 2 (items 21–25) and the rank bridges (reshapes: item 7).</summary>
public static class MatrixKit
{
    /// <summary>X ↦ A·X with A [m, n] fixed (item 21): dX = Aᵀ·dY.</summary>
    public static HasVjp<Mat, Mat> MatmulLeftConst(Tensor a) => new MatmulLeftConst(a);

    /// <summary>X ↦ X·B with B [n, p] fixed (item 22): dX = dY·Bᵀ.</summary>
    public static HasVjp<Mat, Mat> MatmulRightConst(Tensor b) => new MatmulRightConst(b);

    /// <summary>x ↦ s·x (item 23): dx = s·dy.</summary>
    public static HasVjp<TA, TA> ScalarScale<TA>(double s) where TA : IValue<TA> => new ScalarScale<TA>(s);

    /// <summary>X ↦ Xᵀ per batch element (item 24): dX = dYᵀ.</summary>
    public static HasVjp<Mat, Mat> Transpose() => new Transpose();

    /// <summary>Applies a vector rule to every row (item 25); g must treat rows independently (not BN).</summary>
    public static HasVjp<Mat, Mat> RowWise(HasVjp<Vec, Vec> g) => new RowWise(g);

    /// <summary>Matrix → flat vector bridge [B, r, c] → [B, r·c] (reindex, item 7).</summary>
    public static HasVjp<Mat, Vec> FlattenMat() => new Reshape<Mat, Vec>("flatten matrix");

    /// <summary>3-tensor → flat vector [B, C, H, W] → [B, C·H·W] in NCHW row-major order (reindex, item 7).</summary>
    public static HasVjp<Tensor3, Vec> Flatten() => new Reshape<Tensor3, Vec>("flatten");
}

sealed class MatmulLeftConst(Tensor a) : HasVjp<Mat, Mat>(ItemId.matmul_left_const_has_vjp, $"A{Shapes.Format(a)}·X")
{
    internal Tensor A => a;

    protected override void CheckInput(Mat x) => Shapes.Require(x.T, [-1, a.shape[1], -1], Culprit, "X");

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x) =>
        (new Mat(matmul(a, x.T)), dy => new Mat(matmul(a.t(), dy.T)));
}

sealed class MatmulRightConst(Tensor b) : HasVjp<Mat, Mat>(ItemId.matmul_right_const_has_vjp, $"X·B{Shapes.Format(b)}")
{
    protected override void CheckInput(Mat x) => Shapes.Require(x.T, [-1, -1, b.shape[0]], Culprit, "X");

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x) =>
        (new Mat(matmul(x.T, b)), dy => new Mat(matmul(dy.T, b.t())));
}

sealed class ScalarScale<TA>(double s) : HasVjp<TA, TA>(ItemId.scalarScale_has_vjp, $"scale {s}") where TA : IValue<TA>
{
    internal double S => s;

    public override bool FreshOutput => true;

    public override bool KeepsInput => false;

    protected override (TA y, Pullback<TA, TA> pullback) Run(TA x) => (TA.Wrap(x.T.Mul(s)), dy => TA.Wrap(dy.T.Mul(s)));
}

sealed class Transpose() : HasVjp<Mat, Mat>(ItemId.transpose_has_vjp, "transpose")
{
    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x) =>
        (new Mat(x.T.transpose(1, 2).contiguous()), dy => new Mat(dy.T.transpose(1, 2).contiguous()));
}

sealed class RowWise(HasVjp<Vec, Vec> g) : HasVjp<Mat, Mat>(ItemId.rowwise_has_vjp_mat, "row-wise")
{
    public override IReadOnlyList<IVjpNode> Children => [g];

    public override bool KeepsInput => g.KeepsInput;

    public override bool FreshOutput => g.FreshOutput;

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x) => Run(x, inputCotangent: true);

    protected override (Mat y, Pullback<Mat, Mat> pullback) Run(Mat x, bool inputCotangent)
    {
        var shape = x.T.shape;
        long batch = shape[0], rows = shape[1];
        var rowsView = x.T.reshape(batch * rows, shape[2]);
        var (y, pullback) = g.Forward(new Vec(rowsView), inputCotangent);
        // The view is a second handle on x's storage: a consumer releasing x frees nothing while it lives. (A fault's
        // site keeps each node's x and y for the mutant to read.)
        var reuse = Fault.Current is null;
        if (reuse && !g.KeepsInput) rowsView.Dispose();
        var y3 = y.T.reshape(batch, rows, y.T.shape[1]);
        // Likewise y's own handle beside the view: with it gone, the view is the one handle a consumer may release.
        if (reuse && g.FreshOutput) y.T.Dispose();
        return (new Mat(y3), dy =>
        {
            var dx = pullback(new Vec(dy.T.reshape(batch * rows, dy.T.shape[2])));
            return inputCotangent ? new Mat(dx.T.reshape(shape)) : default;
        });
    }
}

/// <summary>A reshape between ranks keeping the batch: the Jacobian is a permutation-free reindex.</summary>
sealed class Reshape<TA, TB>(string label) : HasVjp<TA, TB>(ItemId.pdiv_reindex, label)
    where TA : IValue<TA> where TB : IValue<TB>
{
    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) =>
        (TB.Wrap(x.T.reshape(x.T.shape[0], -1)), dy => TA.Wrap(dy.T.reshape(x.T.shape)));
}
