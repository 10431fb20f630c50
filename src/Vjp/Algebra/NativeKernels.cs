using System.Collections.Concurrent;
using System.Globalization;
using LeanMlirVerify.Calculus.Ledger;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// libtorch's own fused kernels for closed forms our rules state (batch-norm training forward and backward, ReLU and
/// ReLU6 masks, max-pool scatter, LayerNorm, tanh-GELU, the conv's kernel and input cotangents), reached
/// through TorchScript: TorchSharp 0.107 exposes none of them, but <c>torch.jit.compile</c> calls any ATen op by name. Each kernel is one native pass where the composition of
/// TorchSharp ops makes several (BN at [8, 96, 112, 112]: 33 ms against 84 ms, measured in docs/benchmarks.md).
/// A rule runs one only under a strategy that tests can force on the CPU (<c>BnStrategy.Native</c> and the like), and
/// kernel-vs-math binds the kernel to the rule's own closed form in float64 and float32. The autograd twin reaches the
/// same kernels through its backward, so for such a rule the oracle is not an independent check: <see cref="Uses"/>
/// lists them, and the ledger (convention <c>native-kernel</c>) and <c>lmv why</c> say so.
/// </summary>
/// <remarks>
/// Only tensors cross into TorchScript: constants (ε, thresholds, window sizes) are written into the function's source,
/// so no implicitly converted <c>Scalar</c> is handed to native code. A function is compiled once per source text;
/// libtorch's compiler aborts the process on a script error (it does not throw), so every source here is fixed text
/// that the tests compile.
/// </remarks>
public static class NativeKernels
{
    /// <summary>One ledger item whose training strategy runs a libtorch kernel, the kernel, and the strategy that does.</summary>
    public sealed record Use(string Item, string Kernel, string Strategy);

    /// <summary>
    /// Every ledger item whose Auto strategy runs a libtorch kernel in its pullback, so that its autograd-oracle comparison
    /// is not independent (the same kernel on both sides). A test holds this list, the rules' Auto strategies and the
    /// ledger's <c>native-kernel</c> convention to each other.
    /// </summary>
    public static IReadOnlyList<Use> Uses { get; } =
    [
        new(ItemId.bn_has_vjp, "native_batch_norm_backward", "BnStrategy.Native"),
        new(ItemId.relu_has_vjp, "threshold_backward", "KernelStrategy.Native"),
        // ReLU6 names item 1 (pdiv, a scalar derivative entrywise) as the other un-numbered activations do; only its
        // ReLU6 instance runs a kernel, sigmoid, Swish, hard-swish and hard-sigmoid keep their own compositions.
        new(ItemId.pdiv, "hardtanh_backward", "KernelStrategy.Native, ReLU6 only"),
        // Not max pool: its Auto is our scatter (as fast as max_pool2d_with_indices_backward, MaxPools.Resolve).
        // The per-token lifts (items 72, 74) and every block built on them run these through the lift.
        new(ItemId.layerNorm_has_vjp, "native_layer_norm_backward", "KernelStrategy.Native"),
        new(ItemId.gelu_tanh_has_vjp, "gelu_backward", "KernelStrategy.Native"),
        // The conv's kernel cotangents (items 40, 54): every depthwise conv and every full conv with k ≥ 2 (1×1 kernels
        // keep our GEMMs). Its input cotangents (items 39, 53) at stride ≥ 2 where windows overlap and every strided
        // depthwise conv; stride 1 keeps our padded correlation.
        new(ItemId.conv2d_weight_grad_has_vjp, "convolution_backward", "ConvWeightStrategy.Native, k ≥ 2"),
        new(ItemId.depthwise_weight_grad_has_vjp3, "convolution_backward", "ConvWeightStrategy.Native"),
        new(ItemId.conv2d_has_vjp3, "convolution_backward", "ConvInputStrategy.Native, stride ≥ 2, k > stride"),
        new(ItemId.depthwise_has_vjp3, "convolution_backward", "ConvInputStrategy.Native, stride ≥ 2"),
    ];

    /// <summary>A compiled function: the kernel's name and the constants written into its source.</summary>
    readonly record struct Key(string Kernel, double A = 0, double B = 0, long C = 0, long D = 0, long E = 0, long G = 0);

    static readonly ConcurrentDictionary<Key, Lazy<jit.CompilationUnit>> units = new();

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs function <c>f</c> of the source <paramref name="source"/> writes for <paramref name="key"/> (compiled on first
    /// use) on tensors only. Looked up by the key, not the source text: building and hashing the text cost 4.2 µs and
    /// 632 B a call, as much as a batch-1 ReLU pullback's kernel.
    /// </summary>
    static object Invoke(Key key, Func<Key, string> source, params Tensor[] args)
    {
        // TorchScript's parser wants a newline after the last statement ("expected newline but found 'eof'"); the raw
        // string literals here end without one.
        var unit = units.GetOrAdd(key, static (k, write) => new Lazy<jit.CompilationUnit>(() => jit.compile(write(k) + "\n")),
            source).Value;
        // Each argument typed Tensor, so the source scan (tests/Oracle/Source) can see that TorchSharp's marshalling makes
        // no Scalar (it makes one only from a float, double or long). The arguments stay referenced (args) until invoke
        // returns, so no tensor is finalized during the call.
        var result = args switch
        {
            [var a] => unit.invoke("f", a),
            [var a, var b] => unit.invoke("f", a, b),
            [var a, var b, var c] => unit.invoke("f", a, b, c),
            [var a, var b, var c, var d, var e] => unit.invoke("f", a, b, c, d, e),
            [var a, var b, var c, var d, var e, var f] => unit.invoke("f", a, b, c, d, e, f),
            _ => throw new ArgumentException($"NativeKernels: no call form for {args.Length} tensors", nameof(args)),
        };
        GC.KeepAlive(args);
        return result;
    }

    static (Tensor, Tensor, Tensor) Three(object o) => ((Tensor, Tensor, Tensor))o;

    /// <summary>Training-mode batch norm over (N, H, W): y, the batch mean [C] and 1/√(biased var + ε) [C].</summary>
    public static (Tensor Y, Tensor Mean, Tensor InvStd) BatchNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) => Three(Invoke(
        new(nameof(BatchNorm), epsilon), static k => $"""
        def f(x: Tensor, w: Tensor, b: Tensor):
            return torch.native_batch_norm(x, w, b, None, None, True, 0.0, {F(k.A)})
        """, x, gamma, beta));

    /// <summary>The pullback of <see cref="BatchNorm"/>: (dx, dγ, dβ) from dy, x and the saved mean and 1/σ.</summary>
    public static (Tensor Dx, Tensor DGamma, Tensor DBeta) BatchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean,
        Tensor invStd, double epsilon) => Three(Invoke(new(nameof(BatchNormBackward), epsilon), static k => $"""
        def f(g: Tensor, x: Tensor, w: Tensor, mean: Tensor, invstd: Tensor):
            return torch.native_batch_norm_backward(g, x, w, None, None, mean, invstd, True, {F(k.A)}, [True, True, True])
        """, dy, x, gamma, mean, invStd));

    /// <summary>dy where y &gt; <paramref name="threshold"/> strictly, else 0 (ReLU's pullback read from its output).</summary>
    public static Tensor ThresholdBackward(Tensor dy, Tensor y, double threshold) => (Tensor)Invoke(
        new(nameof(ThresholdBackward), threshold), static k => $"""
        def f(g: Tensor, y: Tensor):
            return torch.threshold_backward(g, y, {F(k.A)})
        """, dy, y);

    /// <summary>dy where <paramref name="low"/> &lt; x &lt; <paramref name="high"/> strictly, else 0 (ReLU6's pullback).</summary>
    public static Tensor HardtanhBackward(Tensor dy, Tensor x, double low, double high) => (Tensor)Invoke(
        new(nameof(HardtanhBackward), low, high), static k => $"""
        def f(g: Tensor, x: Tensor):
            return torch.hardtanh_backward(g, x, {F(k.A)}, {F(k.B)})
        """, dy, x);

    /// <summary>Each dy entry sent to its window's recorded maximum (summed where windows overlap), on the padded input's shape.</summary>
    public static Tensor MaxPoolBackward(Tensor dy, Tensor xp, Tensor indices, long size, long stride) => (Tensor)Invoke(
        new(nameof(MaxPoolBackward), C: size, D: stride), static k => $"""
        def f(g: Tensor, x: Tensor, i: Tensor):
            return torch.max_pool2d_with_indices_backward(g, x, [{k.C}, {k.C}], [{k.D}, {k.D}], [0, 0], [1, 1], False, i)
        """, dy, xp, indices);

    /// <summary>LayerNorm over the last axis (biased variance): y, the mean and 1/σ of each vector ([…, 1]).</summary>
    public static (Tensor Y, Tensor Mean, Tensor InvStd) LayerNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) => Three(Invoke(
        new(nameof(LayerNorm), epsilon), static k => $"""
        def f(x: Tensor, w: Tensor, b: Tensor):
            return torch.native_layer_norm(x, [x.size(-1)], w, b, {F(k.A)})
        """, x, gamma, beta));

    /// <summary>The pullback of <see cref="LayerNorm"/>: (dx, dγ, dβ).</summary>
    public static (Tensor Dx, Tensor DGamma, Tensor DBeta) LayerNormBackward(Tensor dy, Tensor x, Tensor mean, Tensor invStd,
        Tensor gamma, Tensor beta) => Three(Invoke(new(nameof(LayerNormBackward)), static _ => """
        def f(g: Tensor, x: Tensor, mean: Tensor, rstd: Tensor, w: Tensor, b: Tensor):
            return torch.native_layer_norm_backward(g, x, [x.size(-1)], mean, rstd, w, b, [True, True, True])
        """, dy, x, mean, invStd, gamma, beta));

    /// <summary>
    /// The kernel cotangent dW[o,c,i,j] = Σ_{b,u,v} xp[b,c,s·u+i,s·v+j]·dy[b,o,u,v] (depthwise: o = c, one group per
    /// channel of <paramref name="w"/>) as libtorch's <c>convolution_backward</c> computes it (output mask: the weight
    /// only), for the conv that ran on <paramref name="input"/> with this stride and symmetric padding.
    /// </summary>
    public static Tensor ConvWeightBackward(Tensor dy, Tensor input, Tensor w, long stride, long padH, long padW, bool depthwise) =>
        ConvolutionBackward(nameof(ConvWeightBackward), dy, input, w, stride, padH, padW, depthwise);

    /// <summary>
    /// The input cotangent of the conv that ran on <paramref name="input"/> with this stride and symmetric padding, as
    /// libtorch's <c>convolution_backward</c> computes it (output mask: the input only): dinput[b,c,p,q] =
    /// Σ_{o,u,v} dy[b,o,u,v]·w[o,c,p+pad−s·u,q+pad−s·v] (w = 0 outside its k×k; depthwise o = c). Shaped as
    /// <paramref name="input"/>, whose values the input mask never reads; an explicitly padded input's cotangent is the
    /// caller's to crop to x.
    /// </summary>
    public static Tensor ConvInputBackward(Tensor dy, Tensor input, Tensor w, long stride, long padH, long padW, bool depthwise) =>
        ConvolutionBackward(nameof(ConvInputBackward), dy, input, w, stride, padH, padW, depthwise);

    // One of convolution_backward's outputs: the weight's (ConvWeightBackward) or the input's. The input crosses for its
    // shape (convolution_backward takes the tensor, not a size list); the geometry is written into the source, so only
    // tensors cross into invoke.
    static Tensor ConvolutionBackward(string kernel, Tensor dy, Tensor input, Tensor w, long stride, long padH, long padW,
        bool depthwise)
    {
        var groups = RequireConv(kernel, input, w, stride, padH, padW, depthwise);
        return (Tensor)Invoke(new(kernel, C: stride, D: padH, E: padW, G: groups), static k =>
        {
            var (mask, output) = k.Kernel == nameof(ConvWeightBackward) ? ("[False, True, False]", 1) : ("[True, False, False]", 0);
            return $"""
                def f(g: Tensor, x: Tensor, w: Tensor):
                    return torch.convolution_backward(g, x, w, None, [{k.C}, {k.C}], [{k.D}, {k.E}], [1, 1], False,
                        [0, 0], {k.G}, {mask})[{output}]
                """;
        }, dy, input, w);
    }

    // Checked here, before anything reaches libtorch, so a misuse names this function rather than a TorchScript frame.
    // Returns the conv's groups: one per channel when depthwise, else one.
    static long RequireConv(string kernel, Tensor input, Tensor w, long stride, long padH, long padW, bool depthwise)
    {
        var fits = w.dim() == 4 && input.dim() == 4
            && (depthwise ? w.shape[1] == 1 && input.shape[1] == w.shape[0] : input.shape[1] == w.shape[1]);
        if (!fits)
            throw new ArgumentException(
                $"NativeKernels.{kernel}: needs {(depthwise ? "a depthwise kernel [C, 1, k, k]" : "a kernel [O, C, k, k]")} " +
                $"and an input [B, C, H, W] of the same C, got w [{string.Join(", ", w.shape)}] and input " +
                $"[{string.Join(", ", input.shape)}]", nameof(w));
        if (stride < 1 || padH < 0 || padW < 0)
            throw new ArgumentOutOfRangeException(nameof(stride),
                $"NativeKernels.{kernel}: stride {stride} must be ≥ 1 and padding {padH}, {padW} ≥ 0");
        return depthwise ? w.shape[0] : 1;
    }

    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))): the tanh-form GELU in one pass.</summary>
    public static Tensor GeluTanh(Tensor x) => (Tensor)Invoke(new(nameof(GeluTanh)), static _ => """
        def f(x: Tensor):
            return torch.gelu(x, approximate='tanh')
        """, x);

    /// <summary>dy ⊙ GELU′(x) for the tanh form.</summary>
    public static Tensor GeluTanhBackward(Tensor dy, Tensor x) => (Tensor)Invoke(new(nameof(GeluTanhBackward)), static _ => """
        def f(g: Tensor, x: Tensor):
            return torch.gelu_backward(g, x, approximate='tanh')
        """, dy, x);
}
