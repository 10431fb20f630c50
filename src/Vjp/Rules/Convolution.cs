using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// SAME padding along one axis (netspec facts §2.4): out = ⌈in/s⌉, total P = max(0, (out−1)·s + k − in),
/// low side ⌊P/2⌋, high side the rest — asymmetric for even kernels and for stride 2.
/// </summary>
public readonly record struct SamePadding(long Low, long High, long Out)
{
    public static SamePadding For(long input, long kernel, long stride)
    {
        var output = (input + stride - 1) / stride;
        var total = Math.Max(0, (output - 1) * stride + kernel - input);
        return new(total / 2, total - total / 2, output);
    }
}

/// <summary>
/// Cross-correlation with SAME padding and stride s, as the book defines conv2d (item 38):
/// y[o,i,j] = b[o] + Σ_{c,kh,kw} W[o,c,kh,kw] · xp[c, s·i+kh, s·j+kw], xp = x zero-padded (low, high).
/// Pullback: dx = full correlation of the s-dilated dy with the kernel flipped in both spatial axes and its channel
/// axes swapped, cropped to x (item 39; when stride ≥ k the windows do not overlap and the same sum is a scatter of
/// Wᵀ·dy); dW[o,c,kh,kw] = Σ_{b,i,j} xp[b,c,s·i+kh,s·j+kw] · dy[b,o,i,j] (item 40);
/// db = Σ_{b,i,j} dy (item 41). With <c>depthwise</c> each channel has its own k×k kernel [C,1,k,k] and no
/// channel mixing (items 53, 54, 55).
/// </summary>
public sealed class Conv2d : HasVjp<Tensor3, Tensor3>
{
    readonly bool depthwise;

    /// <param name="w">kernel [O, C, k, k] (OIHW), or [C, 1, k, k] when depthwise</param>
    /// <param name="b">bias [O], or null for a conv followed by batch norm</param>
    public Conv2d(Tensor w, Tensor? b, long stride = 1, bool depthwise = false, string name = "conv")
        : base(depthwise ? ItemId.depthwise_has_vjp3 : ItemId.conv2d_has_vjp3,
            $"{name} {(depthwise ? "dw " : "")}{w.shape[0]}×{w.shape[1]}×{w.shape[2]}×{w.shape[3]} s{stride}")
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"{Label}: stride must be ≥ 1");
        if (depthwise) Shapes.Require(w, [-1, 1, -1, -1], Culprit, "depthwise kernel");
        this.depthwise = depthwise;
        Stride = stride;
        W = Own(new Parameter($"{name}.W", depthwise ? ItemId.depthwise_weight_grad_has_vjp3 : ItemId.conv2d_weight_grad_has_vjp, w));
        if (b is not null)
        {
            Shapes.Require(b, [w.shape[0]], Culprit, "bias");
            B = Own(new Parameter($"{name}.b", depthwise ? ItemId.depthwise_bias_grad_has_vjp : ItemId.conv2d_bias_grad_has_vjp, b));
        }
    }

    /// <summary>He-initialised k×k conv ic → oc (fan-in ic·k²), optional zero bias.</summary>
    public static Conv2d Create(long ic, long oc, long k, long stride, bool bias, Init init, string name = "conv") =>
        new(init.He([oc, ic, k, k], ic * k * k), bias ? init.Zeros(oc) : null, stride, false, name);

    /// <summary>He-initialised depthwise k×k conv on c channels (fan-in k²), optional zero bias.</summary>
    public static Conv2d Depthwise(long c, long k, long stride, bool bias, Init init, string name = "dw") =>
        new(init.He([c, 1, k, k], k * k), bias ? init.Zeros(c) : null, stride, true, name);

    public Parameter W { get; }
    public Parameter? B { get; }
    public long Stride { get; }
    long Kernel => W.Value.shape[2];
    long InChannels => depthwise ? W.Value.shape[0] : W.Value.shape[1];
    long Groups => depthwise ? W.Value.shape[0] : 1;

    protected override void CheckInput(Tensor3 x) => Shapes.Require(x.T, [-1, InChannels, -1, -1], Culprit, "x");

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var padH = SamePadding.For(x.T.shape[2], Kernel, Stride);
        var padW = SamePadding.For(x.T.shape[3], W.Value.shape[3], Stride);
        var xp = F.pad(x.T, [padW.Low, padW.High, padH.Low, padH.High]);
        var y = F.conv2d(xp, W.Value, B?.Value, strides: [Stride, Stride], groups: Groups);
        return (new Tensor3(y), dy =>
        {
            W.Accumulate(WeightGrad(xp, dy.T), Culprit);
            B?.Accumulate(dy.T.sum([0L, 2L, 3L]), Culprit);
            return new Tensor3(InputGrad(dy.T, xp.shape, padH.Low, padW.Low, x.T.shape));
        });
    }

    // dx = full correlation of the s-dilated dy with the spatially flipped, channel-swapped kernel. It covers
    // (out−1)·s + k rows of the padded input; rows past that (stride > k) get no gradient; then crop the padding.
    // Not conv_transpose2d, although it computes the same: libtorch 2.10's CPU conv_transpose2d returned NaN in about
    // 1 of 150 backward passes of a small fused-MBConv net here (2/300 vs 0/900 with this form, same spec and seeds).
    Tensor InputGrad(Tensor dy, long[] paddedShape, long lowH, long lowW, long[] inputShape)
    {
        var k = Kernel;
        var flipped = W.Value.flip(2, 3);
        var kernel = depthwise ? flipped : flipped.transpose(0, 1);
        var full = Stride >= k
            ? ScatterInputGrad(dy)
            : F.conv2d(F.pad(Dilate(dy, Stride), [k - 1, k - 1, k - 1, k - 1]), kernel, groups: Groups);
        full = F.pad(full, [0, paddedShape[3] - full.shape[3], 0, paddedShape[2] - full.shape[2]]);
        return full.narrow(2, lowH, inputShape[2]).narrow(3, lowW, inputShape[3]).contiguous();
    }

    // Windows that do not overlap (stride ≥ k: patch embeddings, strided 1×1 projections) make dx a pure scatter: the
    // kernel's columns times dy, each placed back at its window by col2im (fold); no sums meet. The dilated form above
    // would convolve a mostly-zero map and build an im2col buffer of O·k² × (padded H·W) entries: 39 GB in float64 for
    // ViT-Tiny's 16×16/16 patch embedding at batch 2.
    Tensor ScatterInputGrad(Tensor dy)
    {
        long k = Kernel, batch = dy.shape[0], outs = dy.shape[1], positions = dy.shape[2] * dy.shape[3];
        var columns = depthwise
            ? (W.Value.view(1, outs, k * k, 1) * dy.reshape(batch, outs, 1, positions)).reshape(batch, outs * k * k, positions)
            : matmul(W.Value.reshape(outs, -1).t(), dy.reshape(batch, outs, positions));
        return F.fold(columns, ((dy.shape[2] - 1) * Stride + k, (dy.shape[3] - 1) * Stride + k), (k, k), stride: (Stride, Stride));
    }

    // One term per kernel offset: the input window that offset saw (a strided view of xp) against dy. A GEMM over
    // batch × positions per offset (elementwise for depthwise): no im2col buffer, no dilated conv with a huge kernel.
    Tensor WeightGrad(Tensor xp, Tensor dy)
    {
        long kh = W.Value.shape[2], kw = W.Value.shape[3], batch = dy.shape[0], outs = dy.shape[1], positions = dy.shape[2] * dy.shape[3];
        var dyFlat = dy.reshape(batch, outs, positions);
        var terms = new List<Tensor>();
        for (var i = 0L; i < kh; i++)
            for (var j = 0L; j < kw; j++)
            {
                var window = xp.index(TensorIndex.Colon, TensorIndex.Colon,
                    TensorIndex.Slice(i, i + Stride * (dy.shape[2] - 1) + 1, Stride),
                    TensorIndex.Slice(j, j + Stride * (dy.shape[3] - 1) + 1, Stride));
                terms.Add(depthwise
                    ? (window * dy).sum([0L, 2L, 3L]).unsqueeze(1)
                    : matmul(dyFlat, window.reshape(batch, xp.shape[1], positions).transpose(1, 2)).sum([0L]));
            }
        // terms[i·kw + j] is [O, C] (depthwise: [C, 1]); stack on a new last axis and unfold it to (kh, kw).
        return stack(terms, -1).view(W.Value.shape);
    }

    /// <summary>Inserts s−1 zeros between neighbouring entries of dy (the transpose of striding).</summary>
    static Tensor Dilate(Tensor dy, long stride)
    {
        if (stride == 1) return dy;
        var d = zeros([dy.shape[0], dy.shape[1], (dy.shape[2] - 1) * stride + 1, (dy.shape[3] - 1) * stride + 1], dy.dtype, dy.device);
        var every = TensorIndex.Slice(null, null, stride);
        return d.index_put_(dy, TensorIndex.Colon, TensorIndex.Colon, every, every);
    }
}
