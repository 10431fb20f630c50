using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// The twin primitives the per-rule oracle cases call, one delegate per op (by default <see cref="TwinOps"/>), so that a
/// twin mutant can put one wrong op in place: the oracle family must then fail.
/// </summary>
public sealed record TwinSet
{
    public static TwinSet Default { get; } = new();

    public Func<Tensor, Tensor, Tensor, Tensor> Dense { get; init; } = TwinOps.Dense;
    public Func<string, Tensor, Tensor> Activation { get; init; } = TwinOps.Activation;

    /// <summary>(x, kernel, bias, stride, groups) → SAME convolution.</summary>
    public Func<Tensor, Tensor, Tensor?, long, long, Tensor> Conv2d { get; init; } = TwinOps.Conv2d;

    public Func<Tensor, long, long, Tensor> MaxPool { get; init; } = TwinOps.MaxPool;
    public Func<Tensor, Tensor, Tensor, Tensor> BatchNormTrain { get; init; } = TwinOps.BatchNormTrain;

    /// <summary>(logits, labels, smoothing) → mean loss.</summary>
    public Func<Tensor, Tensor, double, Tensor> CrossEntropy { get; init; } = TwinOps.SoftmaxCrossEntropy;

    /// <summary>(x, tanh form?) → GELU.</summary>
    public Func<Tensor, bool, Tensor> Gelu { get; init; } = TwinOps.Gelu;

    public Func<Tensor, Tensor, Tensor, Tensor> LayerNorm { get; init; } = TwinOps.LayerNorm;
    public Func<Tensor, Tensor, Tensor, Tensor> Sdpa { get; init; } = TwinOps.Sdpa;
}

/// <summary>A wrong twin op (as data): the per-rule oracle family run with it in place must fail.</summary>
public sealed record TwinMutant(string Id, string Op, string Description, Func<TwinSet, TwinSet> Apply);

/// <summary>Realistic slips in an autograd twin, each in one op.</summary>
public static class TwinMutants
{
    static Tensor SwappedSame(Tensor x, Tensor w, Tensor? b, long stride, long groups)
    {
        var (top, bottom) = TwinOps.Same(x.shape[2], w.shape[2], stride);
        var (left, right) = TwinOps.Same(x.shape[3], w.shape[3], stride);
        return F.conv2d(F.pad(x, [right, left, bottom, top]), w, b, strides: [stride, stride], groups: groups);
    }

    static Tensor ZeroPaddedPool(Tensor x, long size, long stride)
    {
        var (top, bottom) = TwinOps.Same(x.shape[2], size, stride);
        var (left, right) = TwinOps.Same(x.shape[3], size, stride);
        return F.max_pool2d(F.pad(x, [left, right, top, bottom]), [size, size], [stride, stride]);
    }

    static Tensor UnbiasedBatchNorm(Tensor x, Tensor gamma, Tensor beta)
    {
        long[] dims = [0, 2, 3];
        var xhat = (x - x.mean(dims, keepdim: true)) * x.var(dims, unbiased: true, keepdim: true).Add(TwinOps.Epsilon).rsqrt();
        return (xhat * gamma.view(1, -1, 1, 1)).Add(beta.view(1, -1, 1, 1));
    }

    public static IReadOnlyList<TwinMutant> All { get; } =
    [
        new("twin-dense-no-bias", "dense", "twin dense without its bias", t => t with { Dense = (x, w, _) => x.matmul(w) }),
        new("twin-conv-same-swapped", "conv2d", "twin conv with the SAME padding's low and high sides swapped",
            t => t with { Conv2d = SwappedSame }),
        new("twin-maxpool-zero-padding", "maxpool", "twin max-pool padded with 0 instead of −∞", t =>
            t with { MaxPool = ZeroPaddedPool }),
        new("twin-bn-unbiased", "batchnorm", "twin BN normalising with the unbiased (N − 1) variance",
            t => t with { BatchNormTrain = UnbiasedBatchNorm }),
        new("twin-ce-no-smoothing", "softmax-ce", "twin cross-entropy ignoring label smoothing",
            t => t with { CrossEntropy = (z, labels, _) => TwinOps.SoftmaxCrossEntropy(z, labels) }),
        new("twin-gelu-forms-swapped", "gelu", "twin GELU in the erf form where the tanh form is due (and back)",
            t => t with { Gelu = (x, tanh) => TwinOps.Gelu(x, !tanh) }),
        new("twin-layernorm-epsilon", "layernorm", "twin LayerNorm with ε = 1e-6 for 1e-5",
            t => t with { LayerNorm = (x, g, b) => F.layer_norm(x, [x.shape[^1]], g, b, 1e-6) }),
        new("twin-sdpa-unscaled", "sdpa", "twin attention without the 1/√d scale",
            t => t with { Sdpa = (q, k, v) => q.matmul(k.transpose(-2, -1)).softmax(-1).matmul(v) }),
        new("twin-relu6-unclamped", "relu6", "twin ReLU6 written as ReLU (no clamp at 6)",
            t => t with { Activation = (name, x) => TwinOps.Activation(name == "relu6" ? "relu" : name, x) }),
        new("twin-hardsigmoid-native", "hard-sigmoid",
            "twin hard-sigmoid by libtorch's native op (its backward's 1/6 is a float32 constant)",
            t => t with { Activation = (name, x) => name == "hsigmoid" ? F.hardsigmoid(x) : TwinOps.Activation(name, x) }),
    ];
}
