namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// How a rule with a libtorch kernel for its closed form runs: LayerNorm (item 60), the tanh-form GELU (binding
/// <c>gelu_tanh_has_vjp</c>), the indicator activations ReLU and ReLU6 (<see cref="Elementwise{TA}"/>) and max pool's
/// pullback. Both members compute the same map; training asks for <see cref="Auto"/>, tests force each member, and a
/// test requires a catalog entry for every member. (BN has a third form, hence its own <c>BnStrategy</c>.)
/// </summary>
public enum KernelStrategy
{
    /// <summary>
    /// What training runs, the same on every device: <see cref="Native"/> for LayerNorm, GELU, ReLU and ReLU6
    /// (<see cref="KernelStrategies.Resolve(KernelStrategy)"/>), <see cref="Composed"/> for max pool, whose kernel
    /// measured no faster (<c>MaxPools.Resolve</c>).
    /// </summary>
    Auto,

    /// <summary>
    /// Our composition: LayerNorm from BN's pieces (items 45, 46, 49, fan-in 12), GELU's value and closed-form derivative
    /// from TorchSharp ops, ReLU's and ReLU6's bool mask times dy. No libtorch kernel, so the autograd oracle is an
    /// independent check of it.
    /// </summary>
    Composed,

    /// <summary>
    /// libtorch's own kernels through <see cref="NativeKernels"/> (native_layer_norm and its backward; gelu and
    /// gelu_backward with approximate='tanh'): one pass each way where the composition makes about ten, and only x
    /// (LayerNorm: with the mean and 1/σ per vector) kept for the pullback; ReLU's threshold_backward from its output,
    /// ReLU6's hardtanh_backward, max pool's max_pool2d_with_indices_backward. Kernel-vs-math binds each to the closed
    /// form in float64 and float32; <see cref="NativeKernels.Uses"/> lists those Auto runs.
    /// </summary>
    Native,
}

/// <summary>What <see cref="KernelStrategy.Auto"/> resolves to, and the strategies' short names.</summary>
public static class KernelStrategies
{
    // Measured on vit-tiny at batch 4 (lmv bench --breakdown): the native kernels make the step faster and its peak lower.
    public static KernelStrategy Resolve(KernelStrategy requested) =>
        requested == KernelStrategy.Auto ? KernelStrategy.Native : requested;

    /// <summary>
    /// For an elementwise rule: Auto takes the native kernel wherever the rule has one, on every device: one pass where
    /// the mask makes two (three for ReLU6). Measured 2026-12-05 (float32 pullback alone, mask and native alternating in one process, best
    /// samples, twice): ReLU [1, 512] 0.009 vs 0.007 ms (the TorchScript call costs less than the mask's second op),
    /// [128, 512] 0.085 vs 0.018, [32, 32, 28, 28] 0.98–1.01 vs 0.19–0.23; ReLU6 [128, 512] 0.129 vs 0.019,
    /// [8, 32, 112, 112] 7.3–16.4 vs 1.8–1.9.
    /// </summary>
    public static KernelStrategy Resolve(KernelStrategy requested, bool hasNative, string rule) => requested switch
    {
        KernelStrategy.Auto => hasNative ? KernelStrategy.Native : KernelStrategy.Composed,
        KernelStrategy.Native when !hasNative =>
            throw new ArgumentException($"{rule}: strategy native forced, but the rule has no native kernel (only composed applies)"),
        _ => requested,
    };

    public static string Name(KernelStrategy s) => s.ToString().ToLowerInvariant();

    /// <summary>The label suffix of a forced strategy (none for Auto), as BN's labels carry theirs.</summary>
    public static string Suffix(KernelStrategy s) => s == KernelStrategy.Auto ? "" : $" [{Name(s)}]";
}
