using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.Vjp.Checking.Mutants.MutantKind;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>
/// Mutants of the conv rule under each forced strategy (the catalog's <c>RuleCatalog.Strategies.cs</c> entries) and of
/// the 2×2 average pool, of BN, ReLU, ReLU6 and max pool under each forced strategy: each alters only the nodes that
/// run that strategy, as a slip in that path would.
/// </summary>
public static partial class MutantCatalog
{
    static IEnumerable<Mutant> StrategyMutants()
    {
        yield return M("conv-pointwise-dw-first-example", "conv2d-pointwise", Scale,
            "the pointwise (1×1) GEMM's kernel cotangent from the batch's first image only (its sum over images dropped)",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.Pointwise), s => FirstExampleOnly(s, ".W"));
        yield return M("conv-patches-dw-axes-transposed", "conv2d-patches", TransposedFactor,
            "the patch GEMM's kernel cotangent with the kernel's rows and columns transposed (unfold order read wrongly)",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.Patches), s => TransposedKernelCotangent(s));
        yield return M("conv-chunked-last-chunk-dropped", "conv2d-patches-chunked", DroppedTerm,
            "the chunked patch GEMM stops one chunk early: the last chunk's images add nothing to the kernel cotangent",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.PatchesChunked), LastChunkDropped);
        yield return M("conv-forward-correlation-dw-first-example", "conv2d-forward-correlation", Scale,
            "the forward-correlation kernel cotangent from the batch's first image only (the batch, its channels, cut to one)",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.ForwardCorrelation), s => FirstExampleOnly(s, ".W"));
        yield return M("depthwise-scatter-high-side", "depthwise-grouped", TransposedFactor,
            "the scattered depthwise dx (stride ≥ k) cropped at the SAME padding's high side",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.Scatter && c.Item == Calculus.Ledger.ItemId.depthwise_has_vjp3),
            s => s.Dx is null ? null : ConvInputCotangent(s, flip: true, swap: true));
        yield return M("depthwise-per-offset-transposed", "depthwise-per-offset", TransposedFactor,
            "the per-offset depthwise kernel cotangent with the offsets (i, j) transposed",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.PerOffset && c.InputStrategy != ConvInputStrategy.PaddedCorrelation),
            s => TransposedKernelCotangent(s));
        yield return M("depthwise-native-dw-first-example", "depthwise-native", Scale,
            "libtorch's depthwise kernel cotangent from the batch's first image only (the batch sum dropped)",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.Native), s => FirstExampleOnly(s, ".W"));
        yield return M("depthwise-native-dx-first-example", "depthwise-native-dx", DroppedTerm,
            "libtorch's depthwise dx for the batch's first image only (the other images' cotangents left zero)",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.Native), s => s.Dx is null ? null : FirstImageDxOnly(s.Dx));
        yield return M("conv-native-dw-first-example", "conv2d-native", Scale,
            "libtorch's full-conv kernel cotangent from the batch's first image only (the batch sum dropped)",
            Of<Conv2d>(c => c.WeightStrategy == ConvWeightStrategy.Native), s => FirstExampleOnly(s, ".W"));
        yield return M("conv-native-dx-first-example", "conv2d-native-dx", DroppedTerm,
            "libtorch's full-conv dx for the batch's first image only (the other images' cotangents left zero)",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.Native), s => s.Dx is null ? null : FirstImageDxOnly(s.Dx));
        yield return M("depthwise-padded-not-flipped", "depthwise-per-offset-padded", TransposedFactor,
            "the padded-correlation depthwise dx with the kernel not flipped",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.PaddedCorrelation && c.Item == Calculus.Ledger.ItemId.depthwise_has_vjp3),
            s => s.Dx is null ? null : ConvInputCotangent(s, flip: false, swap: false));
        yield return M("conv-phase-interleaved-transposed", "conv2d-phase-correlation", TransposedFactor,
            "the phase-split conv dx with each phase (p, q) written into the slots of phase (q, p)",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.PhaseCorrelation && c.Item == Calculus.Ledger.ItemId.conv2d_has_vjp3),
            s => s.Dx is null ? null : PhasesTransposed(s));
        yield return M("depthwise-phase-interleaved-transposed", "depthwise-phase-correlation", TransposedFactor,
            "the phase-split depthwise dx with each phase (p, q) written into the slots of phase (q, p)",
            Of<Conv2d>(c => c.InputStrategy == ConvInputStrategy.PhaseCorrelation && c.Item == Calculus.Ledger.ItemId.depthwise_has_vjp3),
            s => s.Dx is null ? null : PhasesTransposed(s));
        yield return M("bn-fused-xhat-term-dropped", "batchnorm-fused", DroppedTerm,
            "the fused BN dx without its −(γ·s/N)·x̂·dγ term (the projection off x̂ left out)",
            Of<BatchNorm>(bn => bn.Training && BnStrategies.Resolve(bn.Strategy) == BnStrategy.Fused),
            s => s.Dx is null ? null : s.Dx.Add(FusedXhatTerm(s)));
        yield return M("bn-fused-dbeta-scaled", "batchnorm-fused", Realistic, "the fused BN's dβ × 1.001",
            Of<BatchNorm>(bn => bn.Training && BnStrategies.Resolve(bn.Strategy) == BnStrategy.Fused),
            s => Rescale(s, [((BatchNorm)s.Node).Affine.Beta], 1.001));
        yield return M("bn-native-dgamma-dbeta-swapped", "batchnorm-native", Realistic,
            "the native BN's dγ and dβ swapped (the kernel's (dx, dγ, dβ) tuple read as (dx, dβ, dγ))",
            Of<BatchNorm>(bn => bn.Training && BnStrategies.Resolve(bn.Strategy) == BnStrategy.Native), SwappedAffineCotangents);
        yield return M("bn-composed-dgamma-scaled", "batchnorm-composed", Realistic,
            "the composed BN's dγ × 1.001 (its affine step's kernel cotangent)", Of<BnAffine>(),
            s => Rescale(s, [((BnAffine)s.Node).Gamma], 1.001));
        yield return M("relu-mask-from-output-ge", "relu-composed", WrongTerm,
            "the ReLU mask read from the output as y ≥ 0 (true everywhere: dy passes on the negative side too)",
            ElementwiseUnder("relu", KernelStrategy.Composed), Derivative((_, y) => y.Ge(0)));
        yield return M("relu-native-masked-by-dy", "relu-native", WrongTerm,
            "threshold_backward given dy as its mask operand too: dy passes where dy > 0, not where y > 0",
            ElementwiseUnder("relu", KernelStrategy.Native), s => s.Dx is null ? null : NativeKernels.ThresholdBackward(s.Dy, s.Dy, 0));
        yield return M("relu6-mask-bounds-or", "relu6-composed", WrongTerm,
            "the ReLU6 mask's two bounds joined by | instead of & (x > 0 | x < 6: dy passes everywhere)",
            ElementwiseUnder("relu6", KernelStrategy.Composed), Derivative((x, _) => x.Gt(0) | x.Lt(6)));
        yield return M("relu6-native-hardtanh-defaults", "relu6-native", WrongTerm,
            "hardtanh_backward called with hardtanh's default bounds (−1, 1) in place of ReLU6's (0, 6)",
            ElementwiseUnder("relu6", KernelStrategy.Native), s => s.Dx is null ? null : NativeKernels.HardtanhBackward(s.Dy, s.X, -1, 1));
        yield return M("maxpool-composed-overwrites", "maxpool-composed", DroppedTerm,
            "the max-pool scatter with scatter_ for scatter_add_: where overlapping windows share a maximum, one cotangent "
            + "overwrites the other",
            Of<MaxPool>(p => p.Strategy == KernelStrategy.Composed),
            s => s.Dx is null ? null : MaxPoolRouted(s, (MaxPool)s.Node, native: false));
        yield return M("maxpool-native-zero-padded", "maxpool-native", Realistic,
            "the native max-pool backward fed the indices of the plane padded with 0 (F.pad's default), not −∞",
            Of<MaxPool>(p => p.Strategy == KernelStrategy.Native),
            s => s.Dx is null ? null : MaxPoolRouted(s, (MaxPool)s.Node, native: true));
        yield return M(
            "avg-pool-half-dropped", "avg-pool-2", DroppedTerm, "the 2×2 average pool's pullback with one of its two ½ left out",
            n => n.Label == "average pool 2×2", s => ScaleDx(s, 2));
    }

    /// <summary>Elementwise nodes of <paramref name="function"/> whose pullback runs <paramref name="strategy"/> (Auto resolved).</summary>
    static Func<IVjpNode, bool> ElementwiseUnder(string function, KernelStrategy strategy) => n =>
        Generic(typeof(Elementwise<>))(n) && Kept<string>(n, "Function") == function && Kept<KernelStrategy>(n, "Strategy") == strategy;

    /// <summary>
    /// The two faulty max-pool routings: the scatter with scatter_ (overlaps overwrite; <paramref name="native"/> false),
    /// or the native kernel on the plane padded with 0 (an all-negative border window then routes dy into the padding,
    /// which the crop drops).
    /// </summary>
    static Tensor MaxPoolRouted(FaultSite s, MaxPool pool, bool native)
    {
        long b = s.X.shape[0], c = s.X.shape[1];
        var padH = SamePadding.For(s.X.shape[2], pool.Size, pool.Stride);
        var padW = SamePadding.For(s.X.shape[3], pool.Size, pool.Stride);
        long[] pads = [padW.Low, padW.High, padH.Low, padH.High];
        var xp = native ? F.pad(s.X, pads) : F.pad(s.X, pads, value: double.NegativeInfinity);
        var (_, indices) = F.max_pool2d_with_indices(xp, [pool.Size, pool.Size], [pool.Stride, pool.Stride]);
        var plane = native
            ? NativeKernels.MaxPoolBackward(s.Dy, xp, indices, pool.Size, pool.Stride)
            : zeros([b, c, xp.shape[2] * xp.shape[3]], s.Dy.dtype, s.Dy.device)
                .scatter_(2, indices.view(b, c, -1), s.Dy.reshape(b, c, -1)).view(xp.shape);
        return plane.narrow(2, padH.Low, s.X.shape[2]).narrow(3, padW.Low, s.X.shape[3]).contiguous();
    }

    /// <summary>dx with every image after the first zeroed: a kernel call that read only dy's first image.</summary>
    static Tensor FirstImageDxOnly(Tensor dx)
    {
        var kept = zeros_like(dx);
        kept.narrow(0, 0, 1).copy_(dx.narrow(0, 0, 1));
        return kept;
    }

    /// <summary>(γ·s/N)·x̂·Σ(x̂·dy) per channel: the term the fused BN subtracts to project dx off x̂.</summary>
    static Tensor FusedXhatTerm(FaultSite s)
    {
        long[] dims = [0, 2, 3];
        var bn = (BatchNorm)s.Node;
        var n = s.X.numel() / s.X.shape[1];
        var variance = s.X.var(dims, unbiased: false, keepdim: true);
        var inv = variance.Add(BnNormalize.Epsilon).rsqrt();
        var xhat = (s.X - s.X.mean(dims, keepdim: true)) * inv;
        var dGamma = (xhat * s.Dy).sum(dims, keepdim: true);
        return (bn.Affine.Gamma.Value.view(1, -1, 1, 1) * inv).Div(n) * xhat * dGamma;
    }

    /// <summary>The step's γ and β cotangents exchanged (both [C], so no shape check notices).</summary>
    static Tensor? SwappedAffineCotangents(FaultSite s)
    {
        var affine = ((BatchNorm)s.Node).Affine;
        var (dGamma, dBeta) = (s.Increment(affine.Gamma), s.Increment(affine.Beta));
        s.SetIncrement(affine.Gamma, dBeta);
        s.SetIncrement(affine.Beta, dGamma);
        return null;
    }

    static Tensor? TransposedKernelCotangent(FaultSite s)
    {
        var w = ((Conv2d)s.Node).W;
        s.SetIncrement(w, s.Increment(w).transpose(2, 3).contiguous());
        return null;
    }

    /// <summary>
    /// The kernel cotangent without the images of the last chunk (chunks of <see cref="ConvStrategies.ForcedChunkImages"/>).
    /// </summary>
    static Tensor? LastChunkDropped(FaultSite s)
    {
        long batch = s.X.shape[0], chunk = ConvStrategies.ForcedChunkImages, first = (batch - 1) / chunk * chunk;
        var conv = (Conv2d)s.Node;
        var last = s.Increments(conv, s.X.narrow(0, first, batch - first), s.Dy.narrow(0, first, batch - first));
        s.SetIncrement(conv.W, s.Increment(conv.W) - last[0]);
        return null;
    }

    /// <summary>
    /// The conv dx with its stride phases transposed: the full correlation (conv_transpose2d, independent of the rule's
    /// phase split) zero-padded to a multiple of s, its rows ≡ p and columns ≡ q mod s moved to rows ≡ q and columns
    /// ≡ p, then cropped at the SAME padding's low side as the rule crops.
    /// </summary>
    static Tensor PhasesTransposed(FaultSite s)
    {
        var conv = (Conv2d)s.Node;
        var w = conv.W.Value; // conv_transpose2d flips the kernel itself
        long stride = conv.Stride, groups = conv.Item == Calculus.Ledger.ItemId.depthwise_has_vjp3 ? w.shape[0] : 1;
        var full = F.conv_transpose2d(s.Dy, w, strides: [stride, stride], groups: groups);
        long rows = (full.shape[2] + stride - 1) / stride, cols = (full.shape[3] + stride - 1) / stride;
        var padded = F.pad(full, [0, stride * cols - full.shape[3], 0, stride * rows - full.shape[2]]);
        var swapped = padded.view(full.shape[0], full.shape[1], rows, stride, cols, stride).permute(0, 1, 2, 5, 4, 3)
            .reshape(full.shape[0], full.shape[1], stride * rows, stride * cols);
        long h = s.X.shape[2], width = s.X.shape[3];
        var padH = SamePadding.For(h, w.shape[2], stride);
        var padW = SamePadding.For(width, w.shape[3], stride);
        return F.pad(swapped, [-padW.Low, width + padW.Low - swapped.shape[3], -padH.Low, h + padH.Low - swapped.shape[2]]);
    }
}
