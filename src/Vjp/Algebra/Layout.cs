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

    /// <summary>Columns [start, start+count) of a matrix [B, r, c] → [B, r, count]; dx is dy placed back among zeros.</summary>
    public static HasVjp<Mat, Mat> Columns(long start, long count) =>
        Reindex<Mat, Mat>($"columns {start}..{start + count - 1}", x => x.narrow(2, start, count),
            (dy, x) => nn.functional.pad(dy, [start, x.shape[2] - start - count]));

    /// <summary>Places a matrix [B, r, c] into column slot <paramref name="slot"/> of <paramref name="slots"/>: [B, r, slots·c].</summary>
    public static HasVjp<Mat, Mat> Slot(long slot, long slots) =>
        new Reindex<Mat, Mat>($"slot {slot}/{slots}", x => nn.functional.pad(x, [slot * x.shape[2], (slots - 1 - slot) * x.shape[2]]),
            (dy, x) => dy.narrow(2, slot * x.shape[2], x.shape[2]), fresh: true);

    /// <summary>
    /// Packed projections [B, n, 3·H·dh] (columns Q | K | V, heads contiguous inside each) → one packed matrix per
    /// (batch, head): [B·H, n, 3·dh] with columns q_h | k_h | v_h. The heads ride on the batch axis.
    /// </summary>
    public static HasVjp<Mat, Mat> SplitHeads(long heads) =>
        Reindex<Mat, Mat>($"split {heads} heads", x =>
        {
            long b = x.shape[0], n = x.shape[1], dh = x.shape[2] / (3 * heads);
            return x.view(b, n, 3, heads, dh).permute(0, 3, 1, 2, 4).reshape(b * heads, n, 3 * dh);
        }, (dy, x) =>
        {
            long b = x.shape[0], n = x.shape[1], dh = x.shape[2] / (3 * heads);
            return dy.view(b, heads, n, 3, dh).permute(0, 2, 3, 1, 4).reshape(x.shape);
        });

    /// <summary>Per-head outputs [B·H, n, dh] → [B, n, H·dh] (head h in columns h·dh …).</summary>
    public static HasVjp<Mat, Mat> MergeHeads(long heads) =>
        Reindex<Mat, Mat>($"merge {heads} heads", x =>
        {
            long b = x.shape[0] / heads, n = x.shape[1], dh = x.shape[2];
            return x.view(b, heads, n, dh).permute(0, 2, 1, 3).reshape(b, n, heads * dh);
        }, (dy, x) =>
        {
            long b = x.shape[0] / heads, n = x.shape[1], dh = x.shape[2];
            return dy.view(b, n, heads, dh).permute(0, 2, 1, 3).reshape(x.shape);
        });

    /// <summary>Row 0 of every matrix (the CLS token): [B, T, D] → [B, D].</summary>
    public static HasVjp<Mat, Vec> ClsToken() =>
        Reindex<Mat, Vec>("CLS token", x => x.select(1, 0), (dy, x) =>
        {
            var dx = zeros_like(x);
            dx.select(1, 0).copy_(dy);
            return dx;
        });

    /// <summary>A batch of vectors [N, D] as a 3-tensor [1, N, D, 1]: each vector becomes a channel, so BN's per-channel
    /// statistics become per-vector statistics over its D entries.</summary>
    public static HasVjp<Vec, Tensor3> RowsAsChannels() =>
        Reindex<Vec, Tensor3>("rows as channels", x => x.view(1, x.shape[0], x.shape[1], 1), (dy, x) => dy.view(x.shape));

    /// <summary>A batch of vectors [N, D] as a 3-tensor [N, D, 1, 1]: each feature becomes a channel.</summary>
    public static HasVjp<Vec, Tensor3> FeaturesAsChannels() =>
        Reindex<Vec, Tensor3>("features as channels", x => x.view(x.shape[0], x.shape[1], 1, 1), (dy, x) => dy.view(x.shape));

    /// <summary>[1, N, D, 1] back to [N, D].</summary>
    public static HasVjp<Tensor3, Vec> ChannelsAsRows() =>
        Reindex<Tensor3, Vec>("channels as rows", x => x.view(x.shape[1], x.shape[2]), (dy, x) => dy.view(x.shape));

    /// <summary>[B, C, H, W] → [B, C, H·W]: the conv's feature map as a matrix, positions row-major over (h, w).</summary>
    public static HasVjp<Tensor3, Mat> PositionsAsColumns() =>
        Reindex<Tensor3, Mat>("positions as columns", x => x.reshape(x.shape[0], x.shape[1], -1), (dy, x) => dy.reshape(x.shape));
}

/// <remarks>
/// <paramref name="fresh"/>: <c>to</c> makes a new tensor (a pad), not a view of x (see
/// <see cref="HasVjp{TIn,TOut}.FreshOutput"/>).
/// </remarks>
sealed class Reindex<TA, TB>(string label, Func<Tensor, Tensor> to, Func<Tensor, Tensor, Tensor> back, bool fresh = false)
    : HasVjp<TA, TB>(ItemId.pdiv_reindex, label)
    where TA : IValue<TA> where TB : IValue<TB>
{
    public override bool FreshOutput => fresh;

    protected override (TB y, Pullback<TA, TB> pullback) Run(TA x) => (TB.Wrap(to(x.T)), dy => TA.Wrap(back(dy.T, x.T)));
}
