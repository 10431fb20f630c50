using TorchSharp;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// How <see cref="Conv2d"/> computes its weight cotangent dW[o,c,kh,kw] = Σ_{b,i,j} xp[b,c,s·i+kh,s·j+kw]·dy[b,o,i,j].
/// Every member computes that one sum; they differ in speed by device and size, so training asks for <see cref="Auto"/>
/// and the rule picks per call (<see cref="ConvStrategies.ResolveWeight"/>). Tests force every other member on the
/// CPU (ARCHITECTURE principle 7: no path is checked only on a GPU or only at large sizes), and a test enumerates the
/// members, so one added here is run by the property and oracle suites or that test fails.
/// </summary>
public enum ConvWeightStrategy
{
    /// <summary>Chosen by kind and geometry (and, for strided 1×1 kernels, device): what training runs.</summary>
    Auto,

    /// <summary>1×1 kernel at stride 1 (not depthwise): one batched GEMM of dy with x itself, no patches.</summary>
    Pointwise,

    /// <summary>
    /// Not depthwise: the whole batch's input patches (unfold) times dy, a GEMM per image, summed (CUDA's choice for
    /// strided 1×1 kernels).
    /// </summary>
    Patches,

    /// <summary>
    /// Not depthwise: the same GEMM a few images at a time, each chunk freed at once (the CPU's choice for strided 1×1
    /// kernels, about <see cref="ConvStrategies.PatchBytes"/> of patches per chunk). Forced, it takes
    /// <see cref="ConvStrategies.ForcedChunkImages"/> images per chunk, so a batch of 3 runs a full chunk and a partial one.
    /// </summary>
    PatchesChunked,

    /// <summary>
    /// Not depthwise: the same sum as one forward convolution, with the batch as the channels: xpᵀ [C, B, H, W]
    /// correlated with dyᵀ [O, B, h, w] as the kernel, dilated by s, gives [C, O, k′, k′] (k′ ≥ k), narrowed to k×k and
    /// transposed to [O, C, k, k]. It uses libtorch's forward conv2d kernel (our own composition of forward ops, not
    /// autograd's convolution_backward, so the oracle that compares with autograd stays independent). It was the CPU's
    /// choice for k ≥ 2 before <see cref="Native"/> (1.2–4× slower than that kernel; docs/benchmarks.md); oneDNN once
    /// computed this image-sized-kernel form wrongly in float32 (docs/notes/onednn.md), so ConvolutionFloat32Tests holds it.
    /// </summary>
    ForwardCorrelation,

    /// <summary>
    /// Depthwise: the input correlated with dy as a kernel, one group of B channels per channel (the CPU's choice before
    /// <see cref="Native"/>; forced in tests).
    /// </summary>
    GroupedCorrelation,

    /// <summary>Depthwise: one product-sum per kernel offset over strided views of the padded input (forced in tests).</summary>
    PerOffset,

    /// <summary>
    /// Either kind: libtorch's own <c>convolution_backward</c> for the kernel cotangent alone, through TorchScript
    /// (<see cref="Algebra.NativeKernels.ConvWeightBackward"/>), Auto's choice for every depthwise conv and every full
    /// conv with k ≥ 2. Depthwise, oneDNN's kernel measured 10–60× faster than the grouped correlation at MobileNet-V2's
    /// shapes ([8,144,56,56] s1 7.7 ms vs 73; [8,384,14,14] 0.6 vs 13); full 3×3 convs 1.2–4× faster than the forward
    /// correlation and 1.1–4× than the chunked GEMM (CIFAR's [32,32,32,32] 2.9 ms vs 8.3 and 11.2; ResNet-34's 7×7/2
    /// stem 17.9 vs 25.9; docs/benchmarks.md, 2026-12-05). The autograd twin runs the same kernel, so the oracle is
    /// not independent for it (<see cref="Algebra.NativeKernels.Uses"/>); kernel-vs-math and the FD suites bind it to
    /// the closed form, and the per-rule oracle cases still compare every other member with autograd.
    /// </summary>
    Native,
}

/// <summary>
/// How <see cref="Conv2d"/> computes its input cotangent dx, the full correlation of the s-dilated dy with the flipped,
/// channel-swapped kernel, cropped to x. Chosen by geometry under <see cref="Auto"/>; every member can be forced where it
/// applies, and a test enumerates them as for <see cref="ConvWeightStrategy"/>.
/// </summary>
public enum ConvInputStrategy
{
    /// <summary>Chosen by kind and geometry: what training runs.</summary>
    Auto,

    /// <summary>Square kernel with stride ≥ k: the windows do not overlap, so dx is a scatter of Wᵀ·dy (fold).</summary>
    Scatter,

    /// <summary>Stride 1 with odd kernels (symmetric SAME padding): one correlation with conv2d's own padding.</summary>
    PaddedCorrelation,

    /// <summary>Any geometry: dy dilated by s and zero-padded explicitly, then one valid correlation.</summary>
    DilatedCorrelation,

    /// <summary>
    /// Either kind: libtorch's own <c>convolution_backward</c> for the input cotangent alone, through TorchScript
    /// (<see cref="Algebra.NativeKernels.ConvInputBackward"/>) on the padded input's shape, then cropped to x as the other
    /// forms are. Auto takes it at stride ≥ 2 where windows overlap (and for every strided depthwise conv), where our
    /// correlations convolve a dy that is mostly inserted zeros or split it into small sub-kernel convolutions:
    /// depthwise [8,144,56,56] s2 k3 about 1.5 ms vs 60–68 dilated; full 3×3/2 at ResNet-34's shapes 5.2–6.3 ms vs
    /// 5.7–13.5 by phases and 17–18 dilated (docs/benchmarks.md, 2026-12-05). At stride 1 the padded correlation stays
    /// (as fast; no zeros to skip). The autograd twin runs the same kernel, so the oracle is not independent for it
    /// (<see cref="Algebra.NativeKernels.Uses"/>); kernel-vs-math and the FD suites bind it to the closed form.
    /// </summary>
    Native,

    /// <summary>
    /// Stride ≥ 2, either kind: the dilated form split by stride phase. Row s·a + p of the full correlation reads only
    /// the kernel rows p, p + s, …, so for each phase (p, q) ∈ [0, s)² one stride-1 full correlation of dy (not dilated)
    /// with the flipped, channel-swapped sub-kernel W[:, :, p::s, q::s] fills the rows and columns ≡ (p, q) mod s of an
    /// interleaved buffer, cropped to x as <see cref="Scatter"/> crops; phases past the kernel (p ≥ k) stay zero. It
    /// skips the dilated form's multiplications by its inserted zeros (about s² of them per product at k = 3, s = 2).
    /// Auto takes it for strided 1×1 kernels (one phase: a pointwise product placed on the stride grid; ResNet-34's
    /// projections 0.4–0.9 ms vs 1.3–1.7 by scatter or the kernel); <see cref="Native"/> is faster where windows overlap.
    /// </summary>
    PhaseCorrelation,
}

/// <summary>Which strategies a conv of a given kind and geometry can run, and what <c>Auto</c> resolves to.</summary>
public static class ConvStrategies
{
    /// <summary>The CPU's patch budget per chunk of the weight cotangent's GEMM (see <see cref="Conv2d"/>).</summary>
    public const long PatchBytes = 4 << 20;

    /// <summary>Images per chunk when <see cref="ConvWeightStrategy.PatchesChunked"/> is forced.</summary>
    public const long ForcedChunkImages = 2;

    /// <summary>Whether the weight strategy can run on a conv of this kind and geometry (Auto always can).</summary>
    public static bool Applies(ConvWeightStrategy strategy, bool depthwise, long kh, long kw, long stride) => strategy switch
    {
        ConvWeightStrategy.Auto => true,
        ConvWeightStrategy.Pointwise => !depthwise && kh == 1 && kw == 1 && stride == 1,
        ConvWeightStrategy.Patches or ConvWeightStrategy.PatchesChunked or ConvWeightStrategy.ForwardCorrelation => !depthwise,
        ConvWeightStrategy.GroupedCorrelation or ConvWeightStrategy.PerOffset => depthwise,
        ConvWeightStrategy.Native => true,
        _ => false,
    };

    /// <summary>Whether the input strategy can run on a conv of this kind and geometry (Auto always can).</summary>
    public static bool Applies(ConvInputStrategy strategy, bool depthwise, long kh, long kw, long stride) => strategy switch
    {
        ConvInputStrategy.Auto or ConvInputStrategy.DilatedCorrelation or ConvInputStrategy.Native => true,
        ConvInputStrategy.Scatter => kh == kw && stride >= kh,
        // At stride 1 SAME pads k − 1 in all, symmetric exactly when k is odd.
        ConvInputStrategy.PaddedCorrelation => stride == 1 && kh % 2 == 1 && kw % 2 == 1,
        // At stride 1 there is one phase: the dilated form itself.
        ConvInputStrategy.PhaseCorrelation => stride >= 2,
        _ => false,
    };

    /// <summary>
    /// The weight strategy a call runs and its images per chunk. Auto: libtorch's kernel (<see cref="ConvWeightStrategy.Native"/>)
    /// for every depthwise conv and every full conv with k ≥ 2; our GEMMs for 1×1 kernels, where they are as fast
    /// (docs/benchmarks.md): <see cref="ConvWeightStrategy.Pointwise"/> at stride 1, and at stride ≥ 2, whose patches
    /// are a strided copy of x, the patch GEMM, chunked on the CPU (the page faults of one batch-sized buffer cost more
    /// than the GEMM there) and whole elsewhere (CUDA's caching allocator reuses its blocks).
    /// </summary>
    public static (ConvWeightStrategy Strategy, long ChunkImages) ResolveWeight(ConvWeightStrategy requested, bool depthwise,
        long kh, long kw, long stride, DeviceType device, long perImageBytes, long batch)
    {
        var strategy = requested != ConvWeightStrategy.Auto ? requested
            : depthwise || kh > 1 || kw > 1 ? ConvWeightStrategy.Native
            : stride == 1 ? ConvWeightStrategy.Pointwise
            : device == DeviceType.CPU ? ConvWeightStrategy.PatchesChunked : ConvWeightStrategy.Patches;
        long images = strategy switch
        {
            ConvWeightStrategy.PatchesChunked when requested == ConvWeightStrategy.Auto =>
                Math.Clamp(PatchBytes / Math.Max(1, perImageBytes), 1, batch),
            ConvWeightStrategy.PatchesChunked => Math.Min(ForcedChunkImages, batch),
            _ => batch,
        };
        return (strategy, images);
    }

    /// <summary>
    /// The input strategy a call runs. Auto, on every device: at stride 1, conv2d's own padding for odd kernels (1×1
    /// included: one conv2d, 1.5–2.9× faster than the scatter's GEMM and fold at MobileNet-V2's shapes) and the dilated
    /// form for even ones; at stride ≥ 2, libtorch's kernel (<see cref="ConvInputStrategy.Native"/>) where windows overlap
    /// and for every depthwise conv, the phase split for 1×1 kernels, scatter where windows tile (patch embeddings).
    /// </summary>
    public static ConvInputStrategy ResolveInput(ConvInputStrategy requested, bool depthwise, long kh, long kw, long stride) =>
        requested != ConvInputStrategy.Auto ? requested
        : stride == 1 ? (Applies(ConvInputStrategy.PaddedCorrelation, depthwise, kh, kw, stride)
            ? ConvInputStrategy.PaddedCorrelation : ConvInputStrategy.DilatedCorrelation)
        : depthwise || kh > stride || kw > stride ? ConvInputStrategy.Native
        : kh == 1 && kw == 1 ? ConvInputStrategy.PhaseCorrelation
        : Applies(ConvInputStrategy.Scatter, depthwise, kh, kw, stride) ? ConvInputStrategy.Scatter
        : ConvInputStrategy.DilatedCorrelation;

    /// <summary>Short names for labels and reports: "patches-chunked".</summary>
    public static string Name(ConvWeightStrategy s) => Kebab(s.ToString());

    public static string Name(ConvInputStrategy s) => Kebab(s.ToString());

    static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => (char.IsUpper(c) && i > 0 ? "-" : "") + char.ToLowerInvariant(c)));
}
