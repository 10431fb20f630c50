using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static LeanMlirVerify.Vjp.Checking.Mutants.MutantKind;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LeanMlirVerify.Vjp.Checking.Mutants;

/// <summary>Mutants of the CNN rules: softmax-CE, convolutions, pooling, the elementwise activations, batch norm.</summary>
public static partial class MutantCatalog
{
    static readonly long[] StatDims = [0, 2, 3];

    static IEnumerable<Mutant> CnnMutants()
    {
        yield return M("softmax-ce-no-smoothing", "softmax-ce", Realistic,
            "softmax-CE backward dropping label smoothing: dz = (softmax(z) − one-hot)/B while the loss is smoothed",
            Of<SoftmaxCrossEntropy>(), s =>
            {
                if (s.Dx is null) return null;
                var targets = ((SoftmaxCrossEntropy)s.Node).Targets(s.X);
                var oneHot = targets.eq(targets.max(1L, keepdim: true).values).to_type(targets.dtype);
                return s.Dx.Add((targets - oneHot) * s.Dy.Div(s.X.shape[0]));
            });
        yield return M("conv-same-padding-swapped", "conv2d", Realistic,
            "conv input cotangent cropped with the SAME padding's low and high sides swapped",
            Of<Conv2d>(c => c.Item == ItemId.conv2d_has_vjp3), s => s.Dx is null ? null : ConvInputCotangent(s, flip: true, swap: true));
        yield return M("conv-kernel-not-flipped", "conv2d", TransposedFactor,
            "conv input cotangent correlating dy with the kernel not flipped",
            Of<Conv2d>(c => c.Item == ItemId.conv2d_has_vjp3), s => s.Dx is null ? null : ConvInputCotangent(s, flip: false, swap: false));
        yield return M("depthwise-dw-first-example", "depthwise", Scale,
            "depthwise kernel cotangent from the batch's first image only (the batch sum dropped)",
            Of<Conv2d>(c => c.Item == ItemId.depthwise_has_vjp3), s => FirstExampleOnly(s, ".W"));
        yield return M("maxpool-crop-high-side", "maxpool", Realistic,
            "max-pool cotangent cropped from the padded plane at the wrong (high) side when padded",
            Of<MaxPool>(), s => s.Dx is null ? null : MaxPoolCrop(s, s.Dx, (MaxPool)s.Node, high: true));
        yield return M("maxpool-ties-last", "maxpool", WrongKink,
            "max-pool ties routed to the window's last maximum (libtorch and the ledger: the first)",
            Of<MaxPool>(), s => s.Dx is null ? null : MaxPoolTiesToLast(s, (MaxPool)s.Node));
        yield return M("global-avg-pool-no-mean", "global-avg-pool", DroppedTerm,
            "global average pooling's pullback broadcasts dy without the 1/(H·W)",
            Generic(typeof(GlobalAvgPool<>)), s => s.Dx?.Mul(s.X.shape[2] * s.X.shape[3]));
        yield return M("flatten-channels-last", "flatten", TransposedFactor,
            "flatten's pullback reshapes dy channels-last (NHWC) instead of NCHW",
            Generic(typeof(Reshape<,>), typeof(Tensor3), typeof(Vec)), s => s.Dx is null ? null
                : s.Dy.reshape(s.X.shape[0], s.X.shape[2], s.X.shape[3], s.X.shape[1]).permute(0, 3, 1, 2).contiguous());
        yield return M("relu-pass-through", "relu-3", WrongTerm, "ReLU passes every cotangent (f′ = 1 on the negative side too)",
            Elementwise("relu", typeof(Tensor3)), s => s.Dx is null ? null : s.Dy.clone());
        yield return M("sigmoid-drops-factor", "sigmoid", DroppedTerm, "σ′ = σ (the factor 1 − σ dropped)",
            Elementwise("sigmoid"), Derivative((_, y) => y));
        yield return M("swish-drops-term", "swish", DroppedTerm, "Swish′ = σ(x) (the term x·σ(x)(1 − σ(x)) dropped)",
            Elementwise("swish"), Derivative((x, _) => x.sigmoid()));
        yield return M("relu6-kink-six", "relu6", WrongKink, "ReLU6′(6) = 1: dy passes at the upper kink (the convention: 0)",
            Elementwise("relu6"), Derivative((x, _) => x.Gt(0) & x.Le(6)));
        yield return M("hard-swish-kink-ramp", "hard-swish", WrongKink,
            "hard-swish′ at ±3 from the ramp (2x+3)/6 (−0.5 and 1.5; the convention: 0 and 1)",
            Elementwise("hard-swish"), Derivative((x, _) =>
                where(x.Lt(-3), zeros_like(x), where(x.Gt(3), ones_like(x), x.Mul(2).Add(3).Div(6)))));
        yield return M("hard-sigmoid-kink-ramp", "hard-sigmoid", WrongKink,
            "hard-sigmoid′(±3) = 1/6 (the kinks inside the ramp; the convention: 0)",
            Elementwise("hard-sigmoid"), Derivative((x, _) => (x.Ge(-3) & x.Le(3)).to_type(x.dtype).Div(6)));
        yield return M("bn-normalize-no-mean-term", "bn-normalize", Realistic,
            "BN normalize without its −Σg term: dx = (s/N)(N·g − x̂·Σ(x̂·g))",
            Of<BnNormalize>(bn => bn.Training), s => s.Dx is null ? null
                : s.Dx.Add(InverseStd(s.X).Div(s.X.numel() / s.X.shape[1]) * s.Dy.sum(StatDims, keepdim: true)));
        yield return M("bn-dgamma-scaled", "bn-affine", Realistic, "BN dγ × 1.001",
            Of<BnAffine>(), s => Rescale(s, [((BnAffine)s.Node).Gamma], 1.001));
        yield return M("bn-centered-no-mean", "bn-centered", DroppedTerm, "centring's pullback returns dy (the −mean(dy) term dropped)",
            Of<BnCentered>(), s => s.Dx is null ? null : s.Dy.clone());
        yield return M("bn-istd-square", "bn-istd-broadcast", WrongTerm, "the inverse-std broadcast's pullback with s² where s³",
            Of<BnIstdBroadcast>(), s => s.Dx is null ? null : s.Dx / InverseStd(s.X));
        yield return M("batchnorm-dbeta-mean", "batchnorm", Scale, "BN dβ averaged over the N = B·H·W entries instead of summed",
            Of<BnAffine>(), s => Rescale(s, [((BnAffine)s.Node).Beta], (double)s.X.shape[1] / s.X.numel()));
        yield return M("batchnorm-eval-batch-std", "batchnorm-eval", WrongTerm,
            "evaluation-mode BN's pullback scaled by the batch's inverse std instead of the running one",
            Of<BnNormalize>(bn => !bn.Training), s => s.Dx is null ? null : s.Dy * InverseStd(s.X));
    }

    static Tensor InverseStd(Tensor x) => x.var(StatDims, unbiased: false, keepdim: true).Add(BnNormalize.Epsilon).rsqrt();

    /// <summary>
    /// A faulty conv input cotangent: the full correlation of the s-dilated dy with the (flipped, unless
    /// <paramref name="flip"/> is false) kernel, cropped to x at the low side of the SAME padding (the high side when
    /// <paramref name="swap"/>).
    /// </summary>
    static Tensor ConvInputCotangent(FaultSite s, bool flip, bool swap)
    {
        var conv = (Conv2d)s.Node;
        var w = flip ? conv.W.Value : conv.W.Value.flip(2, 3); // conv_transpose2d flips the kernel itself
        var groups = conv.Item == ItemId.depthwise_has_vjp3 ? w.shape[0] : 1;
        var full = F.conv_transpose2d(s.Dy, w, strides: [conv.Stride, conv.Stride], groups: groups);
        long h = s.X.shape[2], width = s.X.shape[3];
        var padH = SamePadding.For(h, w.shape[2], conv.Stride);
        var padW = SamePadding.For(width, w.shape[3], conv.Stride);
        long top = swap ? padH.High : padH.Low, left = swap ? padW.High : padW.Low;
        return F.pad(full, [-left, width + left - full.shape[3], -top, h + top - full.shape[2]]);
    }

    /// <summary>dx padded back to the −∞-padded plane (zeros there: padding never wins) and cropped at one side.</summary>
    static Tensor MaxPoolCrop(FaultSite s, Tensor dx, MaxPool pool, bool high)
    {
        long h = s.X.shape[2], w = s.X.shape[3];
        var padH = SamePadding.For(h, pool.Size, pool.Stride);
        var padW = SamePadding.For(w, pool.Size, pool.Stride);
        var plane = F.pad(dx, [padW.Low, padW.High, padH.Low, padH.High]);
        return plane.narrow(2, high ? padH.High : padH.Low, h).narrow(3, high ? padW.High : padW.Low, w).contiguous();
    }

    /// <summary>
    /// Max-pool routing ties to the last maximum in row-major window order: libtorch's first-maximum routing on the
    /// plane flipped in both axes (SAME padding makes the flipped windows the same windows, in reverse order).
    /// </summary>
    static Tensor MaxPoolTiesToLast(FaultSite s, MaxPool pool)
    {
        long b = s.X.shape[0], c = s.X.shape[1];
        var padH = SamePadding.For(s.X.shape[2], pool.Size, pool.Stride);
        var padW = SamePadding.For(s.X.shape[3], pool.Size, pool.Stride);
        var flipped = F.pad(s.X, [padW.Low, padW.High, padH.Low, padH.High], value: double.NegativeInfinity).flip(2, 3);
        var (_, indices) = F.max_pool2d_with_indices(flipped, [pool.Size, pool.Size], [pool.Stride, pool.Stride]);
        var plane = zeros([b, c, flipped.shape[2] * flipped.shape[3]], s.Dy.dtype, s.Dy.device)
            .scatter_add_(2, indices.view(b, c, -1), s.Dy.flip(2, 3).reshape(b, c, -1))
            .view(flipped.shape).flip(2, 3);
        return plane.narrow(2, padH.Low, s.X.shape[2]).narrow(3, padW.Low, s.X.shape[3]).contiguous();
    }
}
