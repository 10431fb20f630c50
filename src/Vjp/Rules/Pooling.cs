using LeanMlirVerify.Calculus.Ledger;
using TorchSharp;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// What <see cref="KernelStrategy.Auto"/> resolves to for <see cref="MaxPool"/>. Both members route each dy entry, whole,
/// to the index the forward's max_pool2d_with_indices recorded (so the tie convention is the forward's), summing where
/// windows overlap: <see cref="KernelStrategy.Composed"/> as zeros of the padded plane and scatter_add_ of dy at the
/// indices, <see cref="KernelStrategy.Native"/> by libtorch's max_pool2d_with_indices_backward on the padded input
/// (<see cref="NativeKernels.MaxPoolBackward"/>).
/// </summary>
public static class MaxPools
{
    /// <summary>
    /// Auto: <see cref="KernelStrategy.Composed"/> (the scatter) on every device. Measured 2026-12-05 (float32 pullback
    /// alone, the two alternating in one process, best of 41–101, twice): they are as fast as each other, scatter 1.5–3 % ahead at
    /// [32, 32, 28, 28], [32, 64, 16, 16] and [32, 32, 32, 32], native 2–5 % ahead at [8, 64, 112, 112] (2/2 and 3/2),
    /// within noise at [8, 64, 56, 56]. Where they tie our own composition stays: its autograd comparison is independent.
    /// </summary>
    public static KernelStrategy Resolve(KernelStrategy requested) =>
        requested == KernelStrategy.Auto ? KernelStrategy.Composed : requested;
}

/// <summary>
/// Max over size×size windows with stride s and SAME padding by −∞ (item 42 for 2/2; item 43 for the pullback).
/// Pullback: each dy entry goes, whole, to ONE input position: the window's first maximum in row-major window order.
/// That is libtorch's max_pool2d convention (a later entry replaces the running maximum only when strictly greater),
/// and also NumPy's argmax in the book's FD script. The book's compiled runtime instead copies dy to every tied
/// position; ties have measure zero for continuous inputs, and the tie test pins ours.
/// </summary>
public sealed class MaxPool(long size = 2, long stride = 2, KernelStrategy strategy = KernelStrategy.Auto)
    : HasVjp<Tensor3, Tensor3>(ItemId.maxPool2_has_vjp3,
        $"maxpool {size}/{stride}" + KernelStrategies.Suffix(strategy))
{
    public long Size => size;
    public long Stride => stride;

    /// <summary>The strategy the pullback runs (Auto resolved).</summary>
    public KernelStrategy Strategy { get; } = MaxPools.Resolve(strategy);

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var padH = SamePadding.For(x.T.shape[2], size, stride);
        var padW = SamePadding.For(x.T.shape[3], size, stride);
        var padded = padH.Low + padH.High + padW.Low + padW.High > 0;
        var xp = padded ? F.pad(x.T, [padW.Low, padW.High, padH.Low, padH.High], value: double.NegativeInfinity) : x.T;
        var (y, indices) = size == 2 && stride == 2 ? Windows2x2(xp) : F.max_pool2d_with_indices(xp, [size, size], [stride, stride]);
        return (new Tensor3(y), dy =>
        {
            // Both forms address the padded plane through indices and sum where windows overlap (size > stride).
            var dxp = Strategy == KernelStrategy.Native
                ? NativeKernels.MaxPoolBackward(dy.T, xp, indices, size, stride)
                : Scatter(dy.T, xp.shape, indices);
            return new Tensor3(padded ? dxp.narrow(2, padH.Low, x.T.shape[2]).narrow(3, padW.Low, x.T.shape[3]).contiguous() : dxp);
        });
    }

    /// <summary>
    /// max_pool2d_with_indices for 2×2 windows at stride 2 on an even-sided plane (SAME makes xp so): the same maxima and
    /// the same flat plane indices of each window's first maximum in row-major order, by three elementwise maxima over
    /// strided views of the four window corners a b / c d and the offset na·(1 + nb·(W − 1 + nc)) (n· = 1 where that
    /// corner is below the maximum): 0 at a, 1 at b, W at c, W + 1 at d. libtorch's CPU kernel takes 17.6 ms at
    /// [8, 64, 112, 112] and 2.3 ms at [32, 32, 28, 28], this 13.5 and 1.0 (2026-12-05, float32, 2 threads, best of 9);
    /// MaxPoolTests hold the two equal, ties and −∞ padding included, and every other geometry keeps the kernel.
    /// </summary>
    public static (Tensor Y, Tensor Indices) Windows2x2(Tensor xp)
    {
        long b = xp.shape[0], c = xp.shape[1], h = xp.shape[2] / 2, w = xp.shape[3] / 2, width = xp.shape[3];
        using var windows = xp.reshape(b, c, h, 2, w, 2);
        using var top = windows.select(3, 0);
        using var bottom = windows.select(3, 1);
        using var a = top.select(4, 0);
        using var bTop = top.select(4, 1);
        using var cBottom = bottom.select(4, 0);
        using var d = bottom.select(4, 1);
        using var ab = maximum(a, bTop);
        using var cd = maximum(cBottom, d);
        var y = maximum(ab, cd);
        using var na = a.ne(y);
        using var nb = bTop.ne(y);
        using var nc = cBottom.ne(y);
        using var zero = 0L.ToScalar();
        using var one = 1L.ToScalar();
        using var widthLess1 = (width - 1).ToScalar();
        using var offset = nc.to_type(ScalarType.Int64).add_(widthLess1, one).mul_(nb).add_(one, one).mul_(na);
        // Each window's top-left corner in the plane: 2i·W + 2j.
        using var rowStep = (2 * width).ToScalar();
        using var colStep = 2L.ToScalar();
        using var rowCount = h.ToScalar();
        using var colCount = w.ToScalar();
        using var rows = arange(zero, rowCount, one, ScalarType.Int64, xp.device).mul_(rowStep).view(h, 1);
        using var cols = arange(zero, colCount, one, ScalarType.Int64, xp.device).mul_(colStep);
        using var corners = rows.Add(cols);
        return (y, offset.Add(corners));
    }

    static Tensor Scatter(Tensor dy, long[] planeShape, Tensor indices)
    {
        long b = planeShape[0], c = planeShape[1];
        return zeros([b, c, planeShape[2] * planeShape[3]], dy.dtype, dy.device)
            .scatter_add_(2, indices.view(b, c, -1), dy.reshape(b, c, -1))
            .view(planeShape);
    }
}

/// <summary>
/// Global average pooling [B, C, H, W] → [B, C] (a <see cref="Vec"/>) or → [B, C, 1, 1] (a <see cref="Tensor3"/>, as
/// the SE gate uses it). A linear finite sum scaled by 1/(H·W) (item 9): dx = dy / (H·W) broadcast over the plane.
/// </summary>
public sealed class GlobalAvgPool<TOut>() : HasVjp<Tensor3, TOut>(ItemId.pdiv_finset_sum, "global average pool")
    where TOut : IValue<TOut>
{
    protected override (TOut y, Pullback<Tensor3, TOut> pullback) Run(Tensor3 x)
    {
        var shape = x.T.shape;
        var y = x.T.mean([2L, 3L], keepdim: TOut.Dims == 4);
        return (TOut.Wrap(y), dy =>
            new Tensor3(dy.T.view(shape[0], shape[1], 1, 1).Div(shape[2] * shape[3]).expand(shape).contiguous()));
    }
}

/// <summary>The pooling and reshaping layers of a net spec.</summary>
public static class Pooling
{
    /// <summary>globalAvgPool of a net spec: [B, C, H, W] → [B, C].</summary>
    public static HasVjp<Tensor3, Vec> GlobalAvgPool() => new GlobalAvgPool<Vec>();

    /// <summary>flatten of a net spec: [B, C, H, W] → [B, C·H·W] in NCHW order.</summary>
    public static HasVjp<Tensor3, Vec> Flatten() => MatrixKit.Flatten();

    /// <summary>
    /// avgPool2 of a net spec: the mean of each 2×2 window at stride 2, [B, C, H, W] → [B, C, H/2, W/2] for even H and W.
    /// A composition, no backward of its own: the mean of each pair of rows, then of each pair of columns, each pair
    /// mean ½·(even + odd) from two selections (item 7) joined by additive fan-in (item 28) and scaled (item 23); the
    /// whole is claimed as a finite sum (item 9), like the global average pool.
    /// </summary>
    public static HasVjp<Tensor3, Tensor3> AvgPool2() =>
        Compose.Named(ItemId.pdiv_finset_sum, "average pool 2×2", PairMean(2, "rows").Then(PairMean(3, "columns")));

    static HasVjp<Tensor3, Tensor3> PairMean(long axis, string what) =>
        Compose.Add(EverySecond(axis, 0, what), EverySecond(axis, 1, what)).Then(MatrixKit.ScalarScale<Tensor3>(0.5));

    /// <summary>The <paramref name="what"/> offset, offset + 2, … along <paramref name="axis"/>; dx is dy put back among zeros.</summary>
    static HasVjp<Tensor3, Tensor3> EverySecond(long axis, long offset, string what) =>
        Layout.Reindex<Tensor3, Tensor3>($"{what} {offset}, {offset + 2}, …", x =>
        {
            // An odd size would pair its last row or column with nothing (the two selections differ in length).
            if (x.shape[axis] % 2 != 0)
                throw new ArgumentException(
                    $"average pool 2×2: {x.shape[axis]} {what} is odd (x is {Shapes.Format(x)}); the windows need even sizes");
            return x.slice(axis, offset, x.shape[axis], 2);
        }, (dy, x) =>
        {
            var dx = zeros_like(x);
            dx.slice(axis, offset, x.shape[axis], 2).copy_(dy);
            return dx;
        });
}
