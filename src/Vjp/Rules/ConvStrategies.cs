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
    /// <summary>Chosen by kind, geometry, device and size: what training runs.</summary>
    Auto,

    /// <summary>1×1 kernel at stride 1 (not depthwise): one batched GEMM of dy with x itself, no patches.</summary>
    Pointwise,

    /// <summary>Not depthwise: the whole batch's input patches (unfold) times dy, a GEMM per image, summed (CUDA's choice).</summary>
    Patches,

    /// <summary>
    /// Not depthwise: the same GEMM a few images at a time, each chunk freed at once (the CPU's choice, about
    /// <see cref="ConvStrategies.PatchBytes"/> of patches per chunk). Forced, it takes
    /// <see cref="ConvStrategies.ForcedChunkImages"/> images per chunk, so a batch of 3 runs a full chunk and a partial one.
    /// </summary>
    PatchesChunked,

    /// <summary>
    /// Not depthwise: the same sum as one forward convolution, with the batch as the channels: xpᵀ [C, B, H, W]
    /// correlated with dyᵀ [O, B, h, w] as the kernel, dilated by s, gives [C, O, k′, k′] (k′ ≥ k), narrowed to k×k and
    /// transposed to [O, C, k, k]. It uses libtorch's forward conv2d kernel (our own composition of forward ops, not
    /// autograd's convolution_backward, so the oracle that compares with autograd stays independent). Auto takes it on
    /// the CPU for k ≥ 2 from <see cref="ConvStrategies.ForwardCorrelationPositions"/> output positions (fewer at stride
    /// 1); oneDNN once computed this image-sized-kernel form wrongly in float32 there (docs/notes/onednn.md), so ConvolutionFloat32Tests holds it.
    /// </summary>
    ForwardCorrelation,

    /// <summary>
    /// Depthwise: the input correlated with dy as a kernel, one group of B channels per channel (the CPU's choice before
    /// <see cref="Native"/>; forced in tests).
    /// </summary>
    GroupedCorrelation,

    /// <summary>Depthwise: one product-sum per kernel offset over strided views of the padded input (CUDA's choice).</summary>
    PerOffset,

    /// <summary>
    /// Depthwise: libtorch's own <c>convolution_backward</c> for the kernel cotangent alone, through TorchScript
    /// (<see cref="Algebra.NativeKernels.DepthwiseWeightBackward"/>), the CPU's choice: oneDNN's depthwise kernel
    /// measured 10–60× faster than the grouped correlation at MobileNet-V2's shapes (2026-12-05, float32, 2 threads, k 3,
    /// best of 9, twice: [8,144,56,56] s1 7.7 ms vs 73; [8,384,14,14] 0.6 vs 13; [8,960,7,7] 0.16 vs 3.7; [8,96,112,112]
    /// s2 64 vs 83). The autograd twin runs the same kernel, so the oracle is not independent for it
    /// (<see cref="Algebra.NativeKernels.Uses"/>); kernel-vs-math and the FD suites bind it to the closed form.
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
    /// <summary>Chosen by geometry: what training runs.</summary>
    Auto,

    /// <summary>Square kernel with stride ≥ k: the windows do not overlap, so dx is a scatter of Wᵀ·dy (fold).</summary>
    Scatter,

    /// <summary>Stride 1 with odd kernels (symmetric SAME padding): one correlation with conv2d's own padding.</summary>
    PaddedCorrelation,

    /// <summary>Any geometry: dy dilated by s and zero-padded explicitly, then one valid correlation.</summary>
    DilatedCorrelation,

    /// <summary>
    /// Depthwise: libtorch's own <c>convolution_backward</c> for the input cotangent alone, through TorchScript
    /// (<see cref="Algebra.NativeKernels.DepthwiseInputBackward"/>) on the padded input's shape, then cropped to x as the
    /// other forms are. Auto takes it on the CPU at stride ≥ 2, where the dilated correlation convolves a dy that is
    /// three-quarters zeros: measured 60–68 ms vs about 1.5 ms at [8,144,56,56] s2 k3, 146–207 vs 82–103 ms at
    /// [8,96,112,112] s2 (2026-12-05, float32, 2 threads). At stride 1 the padded correlation stays (no zeros to skip).
    /// The autograd twin runs the same kernel, so the oracle is not independent for it
    /// (<see cref="Algebra.NativeKernels.Uses"/>); kernel-vs-math and the FD suites bind it to the closed form.
    /// </summary>
    Native,

    /// <summary>
    /// Stride ≥ 2, either kind: the dilated form split by stride phase. Row s·a + p of the full correlation reads only
    /// the kernel rows p, p + s, …, so for each phase (p, q) ∈ [0, s)² one stride-1 full correlation of dy (not dilated)
    /// with the flipped, channel-swapped sub-kernel W[:, :, p::s, q::s] fills the rows and columns ≡ (p, q) mod s of an
    /// interleaved buffer, cropped to x as <see cref="Scatter"/> crops; phases past the kernel (p ≥ k) stay zero. It
    /// skips the dilated form's multiplications by its inserted zeros (about s² of them per product at k = 3, s = 2);
    /// Auto takes it from <see cref="ConvStrategies.PhaseCorrelationPositions"/> output positions on.
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
        ConvWeightStrategy.GroupedCorrelation or ConvWeightStrategy.PerOffset or ConvWeightStrategy.Native => depthwise,
        _ => false,
    };

    /// <summary>Whether the input strategy can run on a conv of this kind and geometry (Auto always can).</summary>
    public static bool Applies(ConvInputStrategy strategy, bool depthwise, long kh, long kw, long stride) => strategy switch
    {
        ConvInputStrategy.Auto or ConvInputStrategy.DilatedCorrelation => true,
        ConvInputStrategy.Native => depthwise,
        ConvInputStrategy.Scatter => kh == kw && stride >= kh,
        // At stride 1 SAME pads k − 1 in all, symmetric exactly when k is odd.
        ConvInputStrategy.PaddedCorrelation => stride == 1 && kh % 2 == 1 && kw % 2 == 1,
        // At stride 1 there is one phase: the dilated form itself.
        ConvInputStrategy.PhaseCorrelation => stride >= 2,
        _ => false,
    };

    /// <summary>
    /// From this many output positions (dy's h·w) on, Auto on the CPU takes the weight cotangent of a strided conv (k ≥ 2,
    /// stride ≥ 2) as one forward convolution (<see cref="ConvWeightStrategy.ForwardCorrelation"/>). Measured 2026-12-05
    /// (float32, 2 threads, k 3, best of 15): 32×32 at B 32, C = O = 32: 9.2 ms vs 13.6 chunked; 28×28: 5.7 vs 10.2;
    /// 56×56 → 28×28 at stride 2, B 8, 64 → 128: 20.3 vs 30.1 and 68.0 vs 188.0; ResNet-34's 7×7/2 stem 70.0 vs 136.5 and
    /// 111.9 vs 185.0; but at stride 2 from 14×14 (49 positions, 256 → 512) 24.9 vs 22.4 and 37.8 vs 14.3.
    /// </summary>
    public const long ForwardCorrelationPositions = 256;

    /// <summary>
    /// The same cut-off at stride 1 (k ≥ 2): there the forward correlation is faster down to small images. Measured
    /// 2026-12-05 (float32, 2 threads, k 3, best of 15, two runs, each "fwd-corr vs chunked"): 14×14 at B 8,
    /// C = O = 256: 59.7 vs 86.7, 60.0 vs 164.0; 7×7 at B 8, C = O = 512: 64.3 vs 171.3, 54.4 vs 73.9; 8×8 at B 32,
    /// C = O = 128: 12.3 vs 22.5, 12.7 vs 14.5.
    /// </summary>
    public const long ForwardCorrelationPositionsStride1 = 49;

    /// <summary>
    /// The weight strategy a call runs and its images per chunk. Auto: a 1×1 stride-1 conv is
    /// <see cref="ConvWeightStrategy.Pointwise"/> on every device; on the CPU, a conv with k ≥ 2 and at least
    /// <see cref="ForwardCorrelationPositions"/> output positions (<see cref="ForwardCorrelationPositionsStride1"/> at
    /// stride 1) is one forward convolution, the rest chunk their patches (the page faults of one batch-sized buffer cost
    /// more than the GEMM there). A 1×1 kernel at stride ≥ 2 always chunks: its patches are a strided copy of x and the
    /// GEMM is small, while the forward correlation's kernel is dy itself, image-sized and dilated (ResNet-34's 1×1/2
    /// projection 64 → 128 from 56×56 at B 8: chunked 1.4 and 1.6 ms, forward correlation 9.6 and 14.5). Elsewhere
    /// they take the batch whole (CUDA's caching allocator reuses its blocks); depthwise is libtorch's own kernel on
    /// the CPU (<see cref="ConvWeightStrategy.Native"/>) and per-offset elsewhere (cuDNN's grouped form with image-sized
    /// kernels made MobileNet-V2's step 14× the autograd twin's). <c>positions</c> is dy's h·w (0 when unknown: never the forward correlation).
    /// </summary>
    public static (ConvWeightStrategy Strategy, long ChunkImages) ResolveWeight(ConvWeightStrategy requested, bool depthwise,
        long kh, long kw, long stride, DeviceType device, long perImageBytes, long batch, long positions = 0)
    {
        var strategy = requested != ConvWeightStrategy.Auto ? requested
            : depthwise ? (device == DeviceType.CPU ? ConvWeightStrategy.Native : ConvWeightStrategy.PerOffset)
            : kh == 1 && kw == 1 && stride == 1 ? ConvWeightStrategy.Pointwise
            : device == DeviceType.CPU && (kh > 1 || kw > 1)
              && positions >= (stride == 1 ? ForwardCorrelationPositionsStride1 : ForwardCorrelationPositions)
                ? ConvWeightStrategy.ForwardCorrelation
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
    /// From this many output positions (dy's h·w) on, Auto takes the input cotangent of a strided conv whose windows
    /// overlap (stride ≥ 2, k > stride) by phases (<see cref="ConvInputStrategy.PhaseCorrelation"/>). Measured
    /// 2026-12-05 (float32, 2 threads, k 3, stride 2, B 8, best of 15, two runs, each "dilated vs phase" in ms):
    /// 64 → 128 from 56×56 (784 positions): 33.6 vs 9.2, 72.9 vs 36.1; 128 → 256 from 28×28 (196): 38.3 vs 11.9,
    /// 67.5 vs 40.6; but 256 → 512 from 14×14 (49): 56.9 vs 143.5, 83.0 vs 96.1 (four small sub-kernel convolutions
    /// cost more than one over the mostly-zero map there). Again with the same phase loop as the rule, on a loaded 2-core
    /// host, dy h×w: 10×10 (100 positions) 44.9 vs 14.5 (256 → 512), 9.8 vs 3.7 (128 → 256); 12×12 (144) 61.9 vs 18.5, 14.1 vs
    /// 4.9; 7×7 (49) mixed: 24.7 vs 9.9, 38.5 vs 12.6, but 43.9 vs 196.2; 4×4 (16; 512 → 512) 77.3 vs 221.3, 70.9 vs 72.3. The
    /// cut-off stays at 14×14 = 196, the smallest size that won in both runs of the first measurement; 100 and 144 won in
    /// the one run each had.
    /// </summary>
    public const long PhaseCorrelationPositions = 196;

    /// <summary>
    /// The input strategy a call runs. Auto: depthwise at stride ≥ 2 on the CPU, libtorch's own kernel
    /// (<see cref="ConvInputStrategy.Native"/>: the dilated form convolves mostly zeros there); otherwise, on every device,
    /// scatter when the windows do not overlap, conv2d's own padding at stride 1 with odd kernels, the phase split at
    /// stride ≥ 2 from <see cref="PhaseCorrelationPositions"/> output positions on, the dilated form otherwise.
    /// <c>positions</c> is dy's h·w (0 when unknown: never the phases).
    /// </summary>
    public static ConvInputStrategy ResolveInput(ConvInputStrategy requested, bool depthwise, long kh, long kw, long stride,
        DeviceType device, long positions = 0) =>
        requested != ConvInputStrategy.Auto ? requested
        : depthwise && stride >= 2 && device == DeviceType.CPU ? ConvInputStrategy.Native
        : Applies(ConvInputStrategy.Scatter, depthwise, kh, kw, stride) ? ConvInputStrategy.Scatter
        : Applies(ConvInputStrategy.PaddedCorrelation, depthwise, kh, kw, stride) ? ConvInputStrategy.PaddedCorrelation
        : Applies(ConvInputStrategy.PhaseCorrelation, depthwise, kh, kw, stride) && positions >= PhaseCorrelationPositions
            ? ConvInputStrategy.PhaseCorrelation
        : ConvInputStrategy.DilatedCorrelation;

    /// <summary>Short names for labels and reports: "patches-chunked".</summary>
    public static string Name(ConvWeightStrategy s) => Kebab(s.ToString());

    public static string Name(ConvInputStrategy s) => Kebab(s.ToString());

    static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => (char.IsUpper(c) && i > 0 ? "-" : "") + char.ToLowerInvariant(c)));
}
