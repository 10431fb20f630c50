using LeanMlirVerify.Calculus.Ledger;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// Reindexing maps the transformer needs (item 7, <c>pdiv_reindex</c>): views, column slots, head split/merge, the
/// CLS row. Each is linear and a pure rearrangement (or selection), so its pullback is the inverse rearrangement
/// (or the scatter back into zeros).
/// </summary>
public static class Layout
{
    /// <summary>A reindex x ↦ to(x) whose pullback is back(dy, x).</summary>
    public static HasVjp<TA, TB> Reindex<TA, TB>(string label, Func<Tensor, Tensor> to, Func<Tensor, Tensor, Tensor> back)
        where TA : IValue<TA> where TB : IValue<TB> => new Reindex<TA, TB>(label, to, back);

    /// <summary>A reindex whose pullback needs only x's shape, so that a consumer may release x (see <see cref="HasVjp{TIn,TOut}.KeepsInput"/>).</summary>
    static HasVjp<TA, TB> ByShape<TA, TB>(string label, Func<Tensor, Tensor> to, Func<Tensor, long[], Tensor> back, bool fresh = false)
        where TA : IValue<TA> where TB : IValue<TB> => new Reindex<TA, TB>(label, to, back, fresh);

    /// <summary>Columns [start, start+count) of a matrix [B, r, c] → [B, r, count]; dx is dy placed back among zeros.</summary>
    public static HasVjp<Mat, Mat> Columns(long start, long count) =>
        ByShape<Mat, Mat>($"columns {start}..{start + count - 1}", x => x.narrow(2, start, count),
            (dy, x) => nn.functional.pad(dy, [start, x[2] - start - count]));

    /// <summary>Places a matrix [B, r, c] into column slot <paramref name="slot"/> of <paramref name="slots"/>: [B, r, slots·c].</summary>
    public static HasVjp<Mat, Mat> Slot(long slot, long slots) =>
        ByShape<Mat, Mat>($"slot {slot}/{slots}", x => nn.functional.pad(x, [slot * x.shape[2], (slots - 1 - slot) * x.shape[2]]),
            (dy, x) => dy.narrow(2, slot * x[2], x[2]), fresh: true);

    /// <summary>
    /// Packed projections [B, n, 3·H·dh] (columns Q | K | V, heads contiguous inside each) → one packed matrix per
    /// (batch, head): [B·H, n, 3·dh] with columns q_h | k_h | v_h. The heads ride on the batch axis.
    /// </summary>
    public static HasVjp<Mat, Mat> SplitHeads(long heads) =>
        ByShape<Mat, Mat>($"split {heads} heads", x =>
        {
            long b = x.shape[0], n = x.shape[1], dh = x.shape[2] / (3 * heads);
            return x.view(b, n, 3, heads, dh).permute(0, 3, 1, 2, 4).reshape(b * heads, n, 3 * dh);
        }, (dy, x) =>
        {
            long b = x[0], n = x[1], dh = x[2] / (3 * heads);
            return dy.view(b, heads, n, 3, dh).permute(0, 2, 3, 1, 4).reshape(x);
        });

    /// <summary>Per-head outputs [B·H, n, dh] → [B, n, H·dh] (head h in columns h·dh …).</summary>
    public static HasVjp<Mat, Mat> MergeHeads(long heads) =>
        ByShape<Mat, Mat>($"merge {heads} heads", x =>
        {
            long b = x.shape[0] / heads, n = x.shape[1], dh = x.shape[2];
            return x.view(b, heads, n, dh).permute(0, 2, 1, 3).reshape(b, n, heads * dh);
        }, (dy, x) =>
        {
            long b = x[0] / heads, n = x[1], dh = x[2];
            return dy.view(b, n, heads, dh).permute(0, 2, 1, 3).reshape(x);
        });

    /// <summary>Row 0 of every matrix (the CLS token): [B, T, D] → [B, D].</summary>
    public static HasVjp<Mat, Vec> ClsToken() =>
        ByShape<Mat, Vec>("CLS token", x => x.select(1, 0), (dy, x) =>
        {
            var dx = zeros(x, dy.dtype, dy.device);
            dx.select(1, 0).copy_(dy);
            return dx;
        });

    /// <summary>A batch of vectors [N, D] as a 3-tensor [1, N, D, 1]: each vector becomes a channel, so BN's per-channel
    /// statistics become per-vector statistics over its D entries.</summary>
    public static HasVjp<Vec, Tensor3> RowsAsChannels() =>
        ByShape<Vec, Tensor3>("rows as channels", x => x.view(1, x.shape[0], x.shape[1], 1), (dy, x) => dy.view(x));

    /// <summary>A batch of vectors [N, D] as a 3-tensor [N, D, 1, 1]: each feature becomes a channel.</summary>
    public static HasVjp<Vec, Tensor3> FeaturesAsChannels() =>
        ByShape<Vec, Tensor3>("features as channels", x => x.view(x.shape[0], x.shape[1], 1, 1), (dy, x) => dy.view(x));

    /// <summary>[1, N, D, 1] back to [N, D].</summary>
    public static HasVjp<Tensor3, Vec> ChannelsAsRows() =>
        ByShape<Tensor3, Vec>("channels as rows", x => x.view(x.shape[1], x.shape[2]), (dy, x) => dy.view(x));

    /// <summary>[B, C, H, W] → [B, C, H·W]: the conv's feature map as a matrix, positions row-major over (h, w).</summary>
    public static HasVjp<Tensor3, Mat> PositionsAsColumns() =>
        ByShape<Tensor3, Mat>("positions as columns", x => x.reshape(x.shape[0], x.shape[1], -1), (dy, x) => dy.reshape(x));
}

/// <remarks>
/// <c>fresh</c>: <c>to</c> makes a new tensor (a pad), not a view of x (see <see cref="HasVjp{TIn,TOut}.FreshOutput"/>).
/// A pullback from x's shape alone keeps no handle on x (see <see cref="HasVjp{TIn,TOut}.KeepsInput"/>).
/// </remarks>
sealed class Reindex<TA, TB> : HasVjp<TA, TB>
    where TA : IValue<TA> where TB : IValue<TB>
{
    readonly Func<Tensor, Tensor> to;
    readonly Func<Tensor, Tensor, Tensor>? back;
    readonly Func<Tensor, long[], Tensor>? backByShape;
    readonly bool fresh;

    public Reindex(string label, Func<Tensor, Tensor> to, Func<Tensor, Tensor, Tensor> back, bool fresh = false)
        : base(ItemId.pdiv_reindex, label) => (this.to, this.back, this.fresh) = (to, back, fresh);

    public Reindex(string label, Func<Tensor, Tensor> to, Func<Tensor, long[], Tensor> back, bool fresh = false)
        : base(ItemId.pdiv_reindex, label) => (this.to, backByShape, this.fresh) = (to, back, fresh);

    public override bool FreshOutput => fresh;

    public override bool KeepsInput => back is not null;

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x)
    {
        var y = TB.Wrap(to(x.T));
        if (back is not null) return (y, dy => TA.Wrap(back(dy.T, x.T)));
        var shape = Shapes.Of(x.T);
        return (y, dy => TA.Wrap(backByShape!(dy.T, shape)));
    }
}
