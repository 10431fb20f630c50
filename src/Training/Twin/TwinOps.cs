using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Training.Twin;

/// <summary>
/// The autograd twin's primitives: plain forwards on TorchSharp tensors, differentiated by libtorch autograd.
/// Written independently of src/Vjp (no rule, no shared padding helper) so that the oracle compares two backward
/// passes that share nothing but the definition of the forward. Where libtorch has a native op with its own
/// backward (batch_norm, cross_entropy, layer_norm, gelu) the twin uses it; hard-swish and hard-sigmoid are composed
/// from ReLU6 (see there).
/// Layouts follow the book: dense W [fanIn, fanOut]; conv kernels OIHW; depthwise [C, 1, k, k].
/// </summary>
public static class TwinOps
{
    public const double Epsilon = 1e-5;

    /// <summary>y = x·W + b, W [fanIn, fanOut].</summary>
    public static Tensor Dense(Tensor x, Tensor w, Tensor b) => x.matmul(w).Add(b);

    public static Tensor Relu(Tensor x) => x.relu();
    public static Tensor Sigmoid(Tensor x) => x.sigmoid();
    public static Tensor Swish(Tensor x) => F.silu(x);
    public static Tensor Relu6(Tensor x) => F.relu6(x);
    // Not F.hardswish / F.hardsigmoid: libtorch's kernels use 1.0f/6.0f, a float32 constant, even in float64 — in
    // hardsigmoid's CPU backward, and in hardswish's CUDA forward and backward (measured: relative error 3e-8 against
    // 1/6; on CUDA the mbconv-v3 differential case's float64 step-1 loss moved by 4e-11). Composed from ReLU6 they are
    // exact on every device.
    public static Tensor HardSwish(Tensor x) => (x * F.relu6(x.Add(3))).Div(6);
    public static Tensor HardSigmoid(Tensor x) => F.relu6(x.Add(3)).Div(6);

    /// <summary>The activation a spec or block names ("relu", "relu6", "swish", "hswish", "hsigmoid", "sigmoid", "identity").</summary>
    public static Tensor Activation(string name, Tensor x) => name switch
    {
        "relu" => Relu(x),
        "relu6" => Relu6(x),
        "swish" => Swish(x),
        "hswish" => HardSwish(x),
        "hsigmoid" => HardSigmoid(x),
        "sigmoid" => Sigmoid(x),
        "identity" => x,
        _ => throw new ArgumentException($"twin: unknown activation '{name}'"),
    };

    /// <summary>SAME padding per axis (netspec facts §2.4): out = ⌈in/s⌉, P = max(0, (out−1)s + k − in), low ⌊P/2⌋.</summary>
    public static (long Low, long High) Same(long input, long kernel, long stride)
    {
        var output = (input + stride - 1) / stride;
        var total = Math.Max(0, (output - 1) * stride + kernel - input);
        return (total / 2, total - total / 2);
    }

    /// <summary>Cross-correlation with SAME padding (explicit asymmetric pad, then conv2d with padding 0).</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? b, long stride, long groups = 1)
    {
        var (top, bottom) = Same(x.shape[2], w.shape[2], stride);
        var (left, right) = Same(x.shape[3], w.shape[3], stride);
        var xp = F.pad(x, [left, right, top, bottom]);
        return F.conv2d(xp, w, b, strides: [stride, stride], groups: groups);
    }

    /// <summary>Depthwise conv: groups = C, kernel [C, 1, k, k].</summary>
    public static Tensor Depthwise(Tensor x, Tensor w, Tensor? b, long stride) => Conv2d(x, w, b, stride, x.shape[1]);

    /// <summary>Max pool with −∞ SAME padding.</summary>
    public static Tensor MaxPool(Tensor x, long size, long stride)
    {
        var (top, bottom) = Same(x.shape[2], size, stride);
        var (left, right) = Same(x.shape[3], size, stride);
        var xp = F.pad(x, [left, right, top, bottom], value: double.NegativeInfinity);
        return F.max_pool2d(xp, [size, size], [stride, stride]);
    }

    /// <summary>Training-mode BN: batch statistics over (N, H, W), biased variance, ε = 1e-5 (libtorch's batch_norm).</summary>
    public static Tensor BatchNormTrain(Tensor x, Tensor gamma, Tensor beta) =>
        F.batch_norm(x, null, null, gamma, beta, training: true, momentum: 0.1, eps: Epsilon);

    /// <summary>Evaluation-mode BN with running mean and (biased) variance.</summary>
    public static Tensor BatchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar) =>
        F.batch_norm(x, runningMean, runningVar, gamma, beta, training: false, momentum: 0.1, eps: Epsilon);

    /// <summary>x − μ per channel over (N, H, W) (the book's BN centring piece).</summary>
    public static Tensor BnCentered(Tensor x) => x - x.mean([0L, 2L, 3L], keepdim: true);

    /// <summary>1/√(σ² + ε) per channel, copied to every position of the channel.</summary>
    public static Tensor BnIstdBroadcast(Tensor x) =>
        x.var([0L, 2L, 3L], unbiased: false, keepdim: true).Add(Epsilon).rsqrt().expand(x.shape);

    /// <summary>[B, C, H, W] → [B, C].</summary>
    public static Tensor GlobalAvgPool(Tensor x) => x.mean([2L, 3L]);

    /// <summary>[B, C, H, W] → [B, C·H·W], NCHW row-major.</summary>
    public static Tensor Flatten(Tensor x) => x.flatten(1);

    /// <summary>Mean softmax cross-entropy over the batch; smoothed targets 1 − ε + ε/K and ε/K (libtorch's cross_entropy).</summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels, double smoothing = 0) =>
        F.cross_entropy(logits, labels.to(ScalarType.Int64, logits.device), label_smoothing: smoothing);

    /// <summary>GELU: tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))) or the exact erf form.</summary>
    public static Tensor Gelu(Tensor x, bool tanh = true) =>
        tanh
            ? x.Mul(0.5) * x.Add(x.Pow(3).Mul(0.044715)).Mul(Math.Sqrt(2 / Math.PI)).tanh().Add(1)
            : x.Mul(0.5) * x.Div(Math.Sqrt(2)).erf().Add(1);

    /// <summary>Softmax over the last axis.</summary>
    public static Tensor Softmax(Tensor x) => x.softmax(-1);

    /// <summary>Layer norm over the last axis, biased variance, ε = 1e-5.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor gamma, Tensor beta) =>
        F.layer_norm(x, [x.shape[^1]], gamma, beta, Epsilon);

    /// <summary>Single-head scaled dot-product attention softmax(Q·Kᵀ/√d)·V on [B, n, d].</summary>
    public static Tensor Sdpa(Tensor q, Tensor k, Tensor v) =>
        q.matmul(k.transpose(-2, -1)).Div(Math.Sqrt(q.shape[^1])).softmax(-1).matmul(v);

    /// <summary>
    /// Multi-head self-attention on x [B, n, dim]: Q, K, V, O dense dim→dim with bias (W [dim, dim] input-major),
    /// head width ⌊dim/heads⌋, scores scaled by 1/√(head width), heads concatenated before O.
    /// </summary>
    public static Tensor Mhsa(Tensor x, long heads, Tensor wq, Tensor bq, Tensor wk, Tensor bk, Tensor wv, Tensor bv, Tensor wo, Tensor bo)
    {
        long batch = x.shape[0], n = x.shape[1], dim = wq.shape[1], dh = dim / heads;
        Tensor Split(Tensor t) => t.view(batch, n, heads, dh).transpose(1, 2);
        var attended = Sdpa(Split(Dense(x, wq, bq)), Split(Dense(x, wk, bk)), Split(Dense(x, wv, bv)));
        return Dense(attended.transpose(1, 2).reshape(batch, n, heads * dh), wo, bo);
    }
}
