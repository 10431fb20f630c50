using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// p = softmax(x) over a vector, max-subtracted by libtorch (Jacobian diag(p) − ppᵀ, item 62). The pullback is the
/// closed-form collapse of item 63: dx = p ⊙ (dy − ⟨p, dy⟩); no Jacobian is formed.
/// </summary>
public sealed class Softmax() : HasVjp<Vec, Vec>(ItemId.softmax_has_vjp, "softmax")
{
    /// <summary>Row-wise softmax on a matrix (item 64): the vector softmax lifted to every row (item 25).</summary>
    public static HasVjp<Mat, Mat> Rows() =>
        Compose.Named(ItemId.rowSoftmax_has_vjp_mat, "row softmax", MatrixKit.RowWise(new Softmax()));

    // The pullback reads p, not x.
    public override bool KeepsInput => false;

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x)
    {
        var p = x.T.softmax(-1);
        // p ⊙ dy − p ⊙ ⟨p, dy⟩, accumulated into the one product it needs: two passes over p and one temporary, where
        // p ⊙ (dy − ⟨p, dy⟩) makes three and two (attention's [B·H, n, n] scores are the largest tensors of a ViT block).
        return (new Vec(p), dy =>
        {
            var pdy = p * dy.T;
            return new Vec(pdy.AddcmulInPlace(p, pdy.sum(-1, keepdim: true), -1));
        });
    }
}
