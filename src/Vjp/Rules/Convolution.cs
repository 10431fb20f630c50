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
    /// <param name="stride">stride of both spatial axes (SAME padding)</param>
    /// <param name="depthwise">one k×k kernel per channel, no channel mixing</param>
    /// <param name="name">the name parameters and errors carry</param>
    /// <param name="weightStrategy">how dW is computed; Auto (training) picks by device and size, tests force the others</param>
    /// <param name="inputStrategy">how dx is computed; Auto (training) picks by geometry, tests force the others</param>
    public Conv2d(Tensor w, Tensor? b, long stride = 1, bool depthwise = false, string name = "conv",
        ConvWeightStrategy weightStrategy = ConvWeightStrategy.Auto, ConvInputStrategy inputStrategy = ConvInputStrategy.Auto)
        : base(depthwise ? ItemId.depthwise_has_vjp3 : ItemId.conv2d_has_vjp3,
            $"{name} {(depthwise ? "dw " : "")}{w.shape[0]}×{w.shape[1]}×{w.shape[2]}×{w.shape[3]} s{stride}" +
            StrategyLabel(weightStrategy, inputStrategy))
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"{Label}: stride must be ≥ 1");
        if (depthwise) Shapes.Require(w, [-1, 1, -1, -1], Culprit, "depthwise kernel");
        if (!ConvStrategies.Applies(weightStrategy, depthwise, w.shape[2], w.shape[3], stride))
            throw new ArgumentException($"{Culprit}: weight strategy {weightStrategy} does not apply to this kind and geometry",
                nameof(weightStrategy));
        if (!ConvStrategies.Applies(inputStrategy, depthwise, w.shape[2], w.shape[3], stride))
            throw new ArgumentException($"{Culprit}: input strategy {inputStrategy} does not apply to this kind and geometry",
                nameof(inputStrategy));
        this.depthwise = depthwise;
        Stride = stride;
        WeightStrategy = weightStrategy;
        InputStrategy = inputStrategy;
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

    /// <summary>The weight cotangent's strategy as asked for (Auto unless a test forces one).</summary>
    public ConvWeightStrategy WeightStrategy { get; }

    /// <summary>The input cotangent's strategy as asked for (Auto unless a test forces one).</summary>
    public ConvInputStrategy InputStrategy { get; }

    // A forced strategy shows in the label, so a failure names the path that ran.
    static string StrategyLabel(ConvWeightStrategy weight, ConvInputStrategy input) =>
        weight == ConvWeightStrategy.Auto && input == ConvInputStrategy.Auto ? ""
        : $" [dW {ConvStrategies.Name(weight)}, dx {ConvStrategies.Name(input)}]";
    long Kernel => W.Value.shape[2];
    long InChannels => depthwise ? W.Value.shape[0] : W.Value.shape[1];
    long Groups => depthwise ? W.Value.shape[0] : 1;

    protected override void CheckInput(Tensor3 x) => Shapes.Require(x.T, [-1, InChannels, -1, -1], Culprit, "x");

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x) => Run(x, inputCotangent: true);

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x, bool inputCotangent)
    {
        var padH = SamePadding.For(x.T.shape[2], Kernel, Stride);
        var padW = SamePadding.For(x.T.shape[3], W.Value.shape[3], Stride);
        // Symmetric padding (odd k at stride 1) goes to conv2d itself; otherwise xp is x padded explicitly.
        var symmetric = padH.Low == padH.High && padW.Low == padW.High;
        var input = symmetric ? x.T : F.pad(x.T, [padW.Low, padW.High, padH.Low, padH.High]);
        long[] padding = symmetric ? [padH.Low, padW.Low] : [0, 0];
        var y = F.conv2d(input, W.Value, B?.Value, strides: [Stride, Stride], padding: padding, groups: Groups);
        return (new Tensor3(y), dy =>
        {
            AccumulateWeightGrad(input, padding, dy.T);
            B?.Accumulate(dy.T.sum([0L, 2L, 3L]), Culprit);
            return inputCotangent ? new Tensor3(InputGrad(dy.T, input, padding, padH, padW, x.T.shape)) : default;
        });
    }

    // dx = rows low..low+H of the full correlation of the s-dilated dy with the spatially flipped, channel-swapped
    // kernel: pad the dilated dy by k−1−low before and by H+low−len after, then one valid correlation; rows past the
    // full correlation (stride > k) read only padding and get 0. At stride 1 with symmetric padding that is conv2d's
    // own padding. Each form is a ConvInputStrategy (Auto picks by geometry; tests force each). Not conv_transpose2d,
    // although it computes the same: libtorch 2.10's CPU conv_transpose2d returned NaN in about 1 of 150 backward passes
    // of a small fused-MBConv net here (2/300 vs 0/900 with this form).
    // At stride ≥ 2 where windows overlap, libtorch's own kernel (ConvInputStrategy.Native, either kind): given the
    // input the forward ran on (x with conv2d's symmetric padding, or xp padded explicitly), it returns that input's
    // cotangent; xp's is cropped to rows low..low+H, the rows that are x, as the scatter's full correlation is.
    Tensor InputGrad(Tensor dy, Tensor input, long[] padding, SamePadding padH, SamePadding padW, long[] inputShape)
    {
        long kh = W.Value.shape[2], kw = W.Value.shape[3];
        var strategy = ConvStrategies.ResolveInput(InputStrategy, depthwise, kh, kw, Stride);
        if (strategy == ConvInputStrategy.Native)
        {
            var dInput = NativeKernels.ConvInputBackward(dy, input, W.Value, Stride, padding[0], padding[1], depthwise);
            // input is x itself (conv2d padded it) exactly when its shape is x's: then dInput is dx already.
            if (dInput.shape[2] == inputShape[2] && dInput.shape[3] == inputShape[3]) return dInput;
            return dInput.narrow(2, padH.Low, inputShape[2]).narrow(3, padW.Low, inputShape[3]);
        }
        if (strategy is ConvInputStrategy.Scatter or ConvInputStrategy.PhaseCorrelation)
        {
            // Rows low..low+H of the scattered or interleaved full correlation; F.pad crops where its padding is negative.
            var full = strategy == ConvInputStrategy.Scatter ? ScatterInputGrad(dy) : PhaseInputGrad(dy);
            return F.pad(full, [-padW.Low, inputShape[3] + padW.Low - full.shape[3], -padH.Low, inputShape[2] + padH.Low - full.shape[2]]);
        }
        var flipped = W.Value.flip(2, 3);
        var kernel = depthwise ? flipped : flipped.transpose(0, 1);
        long beforeH = kh - 1 - padH.Low, afterH = inputShape[2] + padH.Low - (dy.shape[2] - 1) * Stride - 1;
        long beforeW = kw - 1 - padW.Low, afterW = inputShape[3] + padW.Low - (dy.shape[3] - 1) * Stride - 1;
        if (strategy == ConvInputStrategy.PaddedCorrelation)
        {
            // Stride 1 with odd kernels pads the same on both sides (ConvStrategies.Applies): conv2d's own padding.
            if (beforeH != afterH || beforeW != afterW)
                throw new InvalidOperationException(
                    $"{Culprit}: padded correlation needs symmetric padding, got {beforeH}/{afterH}, {beforeW}/{afterW}");
            return F.conv2d(dy, kernel, padding: [beforeH, beforeW], groups: Groups);
        }
        return F.conv2d(DilatePad(dy, Stride, beforeH, afterH, beforeW, afterW), kernel, groups: Groups);
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

    // The full correlation (before the crop) by stride phase: full[s·a + p] = Σ_j dy[a − j] · W[s·j + p] per axis, so
    // the rows ≡ p mod s are a stride-1 full correlation of dy with the kernel rows p, p + s, … (flipped, channels
    // swapped, as the dilated form's kernel), padded by that sub-kernel's size − 1. Each phase is written into its
    // strided rows and columns of a buffer s·M wide, M = h + ⌈k/s⌉ − 1 ≥ the longest phase, so s·M ≥ (h − 1)·s + k;
    // a shorter phase leaves its last rows 0, as the full correlation has there, and a phase p ≥ k stays 0 (stride > k).
    // It skips the dilated map's zeros: at k 3, s 2 about 4× less work (ConvStrategies.PhaseCorrelationPositions).
    Tensor PhaseInputGrad(Tensor dy)
    {
        long kh = W.Value.shape[2], kw = W.Value.shape[3], s = Stride, h = dy.shape[2], w = dy.shape[3];
        long rows = h + (kh + s - 1) / s - 1, cols = w + (kw + s - 1) / s - 1;
        var full = zeros([dy.shape[0], InChannels, s * rows, s * cols], dy.dtype, dy.device);
        for (long p = 0; p < Math.Min(s, kh); p++)
            for (long q = 0; q < Math.Min(s, kw); q++)
            {
                using var sub = W.Value[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(p, null, s), TensorIndex.Slice(q, null, s)];
                using var flipped = sub.flip(2, 3);
                using var swapped = depthwise ? null : flipped.transpose(0, 1);
                var kernel = swapped ?? flipped;
                using var phase = F.conv2d(dy, kernel, padding: [sub.shape[2] - 1, sub.shape[3] - 1], groups: Groups);
                using var slot = full[TensorIndex.Colon, TensorIndex.Colon,
                    TensorIndex.Slice(p, p + s * phase.shape[2], s), TensorIndex.Slice(q, q + s * phase.shape[3], s)];
                slot.copy_(phase);
            }
        return full;
    }

    // dW[o,c,kh,kw] = Σ_{b,i,j} xp[b,c,s·i+kh,s·j+kw] · dy[b,o,i,j]: the outer-product reduction of dy with the input
    // patches, computed as that GEMM (dy as [O, L] times the patches as [L, C·k²], per image; a 1×1 kernel at stride 1
    // is one GEMM on x itself). Not as the equivalent correlation of xp with dy as a kernel the size of the image (the
    // batch as its channels), which this rule used before: libtorch 2.10's oneDNN returned wrong float32 results for it
    // on this project's AVX-512 CPU (27 of 98 random shapes off by 7e-2 to 6e-1 relative, batches 1 to 64, every kernel
    // size), and on an H200 cuDNN took 7× the GEMM's time for ResNet-34's stem (README "oneDNN").
    // Auto runs libtorch's own kernel for exactly this sum (ConvWeightStrategy.Native) for depthwise convs and full
    // convs with k ≥ 2 — 10–60× faster than our forms for depthwise, 1.1–4× for full 3×3 and 7×7 kernels — and these
    // GEMMs for 1×1 kernels, where they are as fast (ConvStrategies.ResolveWeight). Our other forms stay forcible and
    // checked: for depthwise (channel c pairs only with itself) the correlation grouped one group of B channels per
    // channel, and one product-sum per kernel offset (DepthwiseWeightCotangentByOffsets; cuDNN's grouped form with
    // image-sized kernels made MobileNet-V2's step 14× the autograd twin's); for full convs the forward correlation
    // (ConvWeightStrategy.ForwardCorrelation): with the rule's SAME padding, non-contiguous transposed operands and
    // NNPACK off it matched float64 to ≤ 4e-6 relative on 120 random float32 shapes with oneDNN on (the five shapes that
    // broke it before included); ConvolutionFloat32Tests holds it.
    // The GEMM forms add each image's product into W's gradient by an in-place addmm_ (Parameter.AccumulateProduct):
    // no per-image products, no batch sum, no dW buffer to add afterwards.
    void AccumulateWeightGrad(Tensor input, long[] padding, Tensor dy)
    {
        long kh = W.Value.shape[2], kw = W.Value.shape[3], batch = dy.shape[0], channels = input.shape[1], outs = dy.shape[1];
        long perImageBytes = channels * kh * kw * dy.shape[2] * dy.shape[3] * input.element_size();
        var (strategy, images) = ConvStrategies.ResolveWeight(
            WeightStrategy, depthwise, kh, kw, Stride, input.device_type, perImageBytes, batch);
        switch (strategy)
        {
            case ConvWeightStrategy.Pointwise:
            {
                using var dyImages = dy.reshape(batch, outs, -1);
                using var xImages = input.reshape(batch, channels, -1);
                for (long i = 0; i < batch; i++)
                {
                    using var dyI = dyImages[i];
                    using var xI = xImages[i];
                    using var xT = xI.t();
                    W.AccumulateProduct(dyI, xT, Culprit);
                }
                return;
            }
            case ConvWeightStrategy.Patches or ConvWeightStrategy.PatchesChunked:
                AccumulatePatchesWeightCotangent(input, padding, dy, images);
                return;
            case ConvWeightStrategy.ForwardCorrelation:
            {
                // [C, O, k′, k′] with k′ = Hp − s·(h − 1) ≥ k: entries past k read windows the sum never visits.
                using var xT = input.transpose(0, 1);
                using var dyT = dy.transpose(0, 1);
                using var full = F.conv2d(xT, dyT, padding: padding, dilation: [Stride, Stride]);
                using var narrow = full.narrow(2, 0, kh).narrow(3, 0, kw);
                using var dW = narrow.transpose(0, 1);
                W.Accumulate(dW, Culprit);
                return;
            }
            case ConvWeightStrategy.PerOffset:
                // input is x with its symmetric padding still to add, or xp already padded (then padding is 0).
                W.Accumulate(DepthwiseWeightCotangentByOffsets(
                    F.pad(input, [padding[1], padding[1], padding[0], padding[0]]), dy, kh, kw, Stride), Culprit);
                return;
            case ConvWeightStrategy.Native:
            {
                // input is x with conv2d's symmetric padding, or xp already padded (padding 0), exactly as the forward ran.
                using var dW = NativeKernels.ConvWeightBackward(dy, input, W.Value, Stride, padding[0], padding[1], depthwise);
                W.Accumulate(dW, Culprit);
                return;
            }
            case ConvWeightStrategy.GroupedCorrelation:
            {
                var full = F.conv2d(input.transpose(0, 1).reshape(1, channels * batch, input.shape[2], input.shape[3]),
                    dy.transpose(0, 1), padding: padding, dilation: [Stride, Stride], groups: channels).transpose(0, 1);
                W.Accumulate(full.narrow(2, 0, kh).narrow(3, 0, kw), Culprit);
                return;
            }
            default:
                throw new InvalidOperationException($"{Culprit}: weight strategy {strategy} has no implementation");
        }
    }

    // The patch GEMM, `images` images at a time: the CPU's chunks (about ConvStrategies.PatchBytes each) are freed at once, because the
    // whole batch's patches (B·C·k²·L entries, 230 MB for ResNet-34's first stage at batch 32) are a fresh mapping every
    // call whose page faults cost more than the GEMM (MNIST-CNN's step: 386 ms whole, 114–135 ms chunked).
    void AccumulatePatchesWeightCotangent(Tensor input, long[] padding, Tensor dy, long images)
    {
        long kh = W.Value.shape[2], kw = W.Value.shape[3], batch = dy.shape[0], outs = dy.shape[1];
        using var dyImages = dy.reshape(batch, outs, -1);
        for (long first = 0; first < batch; first += images)
        {
            long n = Math.Min(images, batch - first);
            using var chunk = input.narrow(0, first, n);
            using var patches = F.unfold(chunk, (kh, kw), padding: (padding[0], padding[1]), stride: (Stride, Stride));
            for (long i = 0; i < n; i++)
            {
                using var dyI = dyImages[first + i];
                using var patchesI = patches[i];
                using var patchesT = patchesI.t();
                W.AccumulateProduct(dyI, patchesT, Culprit);
            }
        }
    }

    /// <summary>
    /// The depthwise weight cotangent dW[c,0,i,j] = Σ_{b,u,v} xp[b,c,s·u+i,s·v+j] · dy[b,c,u,v], one product-sum per
    /// kernel offset (i, j) over the strided view of the padded input xp.
    /// </summary>
    public static Tensor DepthwiseWeightCotangentByOffsets(Tensor xp, Tensor dy, long kh, long kw, long stride)
    {
        long spanH = stride * (dy.shape[2] - 1) + 1, spanW = stride * (dy.shape[3] - 1) + 1;
        var offsets = new List<Tensor>();
        for (long i = 0; i < kh; i++)
            for (long j = 0; j < kw; j++)
            {
                using var product = xp[TensorIndex.Colon, TensorIndex.Colon,
                    TensorIndex.Slice(i, i + spanH, stride), TensorIndex.Slice(j, j + spanW, stride)] * dy;
                offsets.Add(product.sum([0L, 2L, 3L])); // each product freed at once: k² of them would pile up in the step's scope
            }
        return stack(offsets, 1).view(dy.shape[1], 1, kh, kw);
    }

    /// <summary>dy with s−1 zeros between neighbouring entries (the transpose of striding), zero-padded around.</summary>
    static Tensor DilatePad(Tensor dy, long stride, long beforeH, long afterH, long beforeW, long afterW)
    {
        if (stride == 1) return F.pad(dy, [beforeW, afterW, beforeH, afterH]);
        long h = (dy.shape[2] - 1) * stride + 1, w = (dy.shape[3] - 1) * stride + 1;
        var d = zeros([dy.shape[0], dy.shape[1], beforeH + h + afterH, beforeW + w + afterW], dy.dtype, dy.device);
        return d.index_put_(dy, TensorIndex.Colon, TensorIndex.Colon,
            TensorIndex.Slice(beforeH, beforeH + h, stride), TensorIndex.Slice(beforeW, beforeW + w, stride));
    }
}
