using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// How a rule with a libtorch kernel for its closed form runs: <see cref="LayerNorm"/> (item 60) and the tanh-form GELU
/// (binding <c>gelu_tanh_has_vjp</c>). Both members compute the same map; training asks for <see cref="Auto"/>, tests
/// force each member, and a test requires a catalog entry for every member.
/// </summary>
public enum KernelStrategy
{
    /// <summary>What training runs: <see cref="Native"/> on every device.</summary>
    Auto,

    /// <summary>
    /// Our composition: LayerNorm from BN's pieces (items 45, 46, 49, fan-in 12), GELU's value and closed-form derivative
    /// from TorchSharp ops. No libtorch kernel, so the autograd oracle is an independent check of it.
    /// </summary>
    Composed,

    /// <summary>
    /// libtorch's own kernels through <see cref="NativeKernels"/> (native_layer_norm and its backward; gelu and
    /// gelu_backward with approximate='tanh'): one pass each way where the composition makes about ten, and only x
    /// (LayerNorm: with the mean and 1/σ per vector) kept for the pullback. Kernel-vs-math binds each to the closed form
    /// in float64 and float32; <see cref="NativeKernels.Uses"/> lists them.
    /// </summary>
    Native,
}

/// <summary>What <see cref="KernelStrategy.Auto"/> resolves to, and the strategies' short names.</summary>
public static class KernelStrategies
{
    // Measured on vit-tiny at batch 4 (lmv bench --breakdown): the native kernels make the step faster and its peak lower.
    public static KernelStrategy Resolve(KernelStrategy requested) =>
        requested == KernelStrategy.Auto ? KernelStrategy.Native : requested;

    public static string Name(KernelStrategy s) => s.ToString().ToLowerInvariant();

    /// <summary>The label suffix of a forced strategy (none for Auto), as BN's labels carry theirs.</summary>
    public static string Suffix(KernelStrategy s) => s == KernelStrategy.Auto ? "" : $" [{Name(s)}]";
}
