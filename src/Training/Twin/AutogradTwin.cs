using LeanMlirVerify.Training.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Twin;

/// <summary>
/// Any codegen-backed <see cref="NetSpec"/> as a libtorch autograd forward built from <see cref="TwinOps"/> and
/// <see cref="TwinBlocks"/>, taking its parameters as a list with exactly the layout of <see cref="ParamTensors.Of(NetSpec)"/>
/// (same order, same shapes; dense kernels [fanIn, fanOut]). Training-mode BN (batch statistics). Generic in dtype and
/// device: it computes on whatever the parameters and input are. It exists to check and to compare against; it never
/// replaces the hand-derived path.
/// </summary>
public static class AutogradTwin
{
    /// <summary>
    /// Logits [B, K] from the flat batch [B, D] (facts §2.3: reshaped to NCHW when the first layer is a conv). BN runs in
    /// training mode unless <paramref name="norms"/> records batch statistics or supplies running ones.
    /// </summary>
    public static Tensor Forward(NetSpec spec, IReadOnlyList<Tensor> parameters, Tensor flatInput, TwinBatchNorms? norms = null)
    {
        var cursor = new ParamCursor(parameters, $"twin of {spec.Name}", norms);
        // The spec's own input rule (facts §2.3), not a copy: reshaped to NCHW when the first layer opens on an image.
        var input = ShapeInference.InputShape(spec);
        var x = input.Kind == ShapeKind.Image ? flatInput.view(flatInput.shape[0], input.A, input.B, input.C) : flatInput;
        for (var i = 0; i < spec.Layers.Count; i++)
            x = Layer(spec.Layers[i], i, x, cursor);
        cursor.RequireEnd();
        return x;
    }

    static Tensor Layer(Layer layer, int index, Tensor x, ParamCursor p)
    {
        switch (layer)
        {
            case Specs.Conv2d l:
                // conv2d: stride 1, symmetric floor((k−1)/2) padding = SAME for odd k; relu6 is identity (codegen quirk).
                var y = TwinOps.Conv2d(x, p.Next($"L{index}.W", l.Oc, l.Ic, l.K, l.K), p.Next($"L{index}.b", l.Oc), 1);
                return l.Act == Activation.Relu ? TwinOps.Relu(y) : y;
            case ConvBn l:
                return TwinBlocks.ConvBn(x, p, l.Ic, l.Oc, l.K, l.Stride, "relu");
            case Specs.MaxPool l:
                return TwinOps.MaxPool(x, l.Size, l.Stride);
            case Specs.AvgPool2:
                return TwinOps.AvgPool2(x);
            case Specs.GlobalAvgPool:
                return TwinOps.GlobalAvgPool(x);
            case Flatten:
                return x.dim() == 4 ? TwinOps.Flatten(x) : x;
            case Specs.Dense l:
                var d = TwinOps.Dense(x, p.Next($"L{index}.W", l.FanIn, l.FanOut), p.Next($"L{index}.b", l.FanOut));
                return l.Act == Activation.Relu ? TwinOps.Relu(d) : d;
            case ResidualBlock l:
                return Stage(x, l.NBlocks, (h, b) => TwinBlocks.BasicBlock(h, p, b == 0 ? l.Ic : l.Oc, l.Oc, b == 0 ? l.FirstStride : 1));
            case BottleneckBlock l:
                return Stage(x, l.NBlocks, (h, b) => TwinBlocks.Bottleneck(h, p, b == 0 ? l.Ic : l.Oc, l.Oc, b == 0 ? l.FirstStride : 1));
            case InvertedResidual l:
                return Stage(x, l.NBlocks,
                    (h, b) => TwinBlocks.InvertedResidual(h, p, b == 0 ? l.Ic : l.Oc, l.Oc, l.Expand, b == 0 ? l.Stride : 1));
            case MbConv l:
                return Stage(x, l.NBlocks,
                    (h, b) => TwinBlocks.MbConv(h, p, b == 0 ? l.Ic : l.Oc, l.Oc, l.Expand, l.K, b == 0 ? l.Stride : 1, l.UseSE));
            case MbConvV3 l:
                return TwinBlocks.MbConvV3(x, p, l.Ic, l.Oc, l.ExpandCh, l.K, l.Stride, l.UseSE, l.UseHSwish);
            case FusedMbConv l:
                return Stage(x, l.NBlocks,
                    (h, b) => TwinBlocks.FusedMbConv(h, p, b == 0 ? l.Ic : l.Oc, l.Oc, l.Expand, l.K, b == 0 ? l.Stride : 1, l.UseSE));
            case Specs.Uib l:
                return TwinBlocks.Uib(x, p, l.Ic, l.Oc, l.Expand, l.Stride, l.PreDWk, l.PostDWk);
            case PatchEmbed l:
                return TwinBlocks.PatchEmbed(x, p, l.Ic, l.Dim, l.PatchSize, l.NPatches);
            case TransformerEncoder l:
                return TwinBlocks.TransformerEncoder(x, p, l.Dim, l.Heads, l.MlpDim, l.NBlocks);
            case CustomLayer l:
                throw new NotSupportedException(
                    $"twin: layer {index} (custom {l.TypeName}) is a rule written outside the library, so the autograd twin has no form "
                    + "of it; lmv check --twin FILE checks it with GradCheck.Rule instead");
            default:
                throw new NotSupportedException(
                    $"twin: layer {index} ({layer.Constructor} {layer.Compact()}) has no twin form "
                    + "(accounting-only layers have no forward)");
        }
    }

    static Tensor Stage(Tensor x, long blocks, Func<Tensor, long, Tensor> block)
    {
        for (var b = 0L; b < blocks; b++) x = block(x, b);
        return x;
    }
}

/// <summary>One twin step: loss and the gradient of every parameter tensor by torch.autograd.grad.</summary>
public static class TwinStep
{
    /// <summary>
    /// Mean softmax cross-entropy (label smoothing ε) of the twin's logits and its gradients, in parameter order;
    /// <paramref name="norms"/>, when given, records each BN layer's batch statistics.
    /// </summary>
    public static (Tensor Loss, IReadOnlyList<Tensor> Grads) Run(NetSpec spec, IReadOnlyList<Tensor> parameters, Tensor flatInput,
        Tensor labels, double smoothing = 0, TwinBatchNorms? norms = null) =>
        Differentiate(spec, parameters, flatInput, labels, smoothing, norms, wrtInput: false);

    /// <summary>Like <see cref="Run"/>, and also the loss's cotangent on the input, flat like <paramref name="flatInput"/>.</summary>
    public static (Tensor Loss, IReadOnlyList<Tensor> Grads, Tensor Dx) RunWithInputCotangent(NetSpec spec,
        IReadOnlyList<Tensor> parameters, Tensor flatInput, Tensor labels, double smoothing = 0)
    {
        var (loss, grads) = Differentiate(spec, parameters, flatInput, labels, smoothing, null, wrtInput: true);
        return (loss, grads.SkipLast(1).ToList(), grads[^1]);
    }

    static (Tensor Loss, IReadOnlyList<Tensor> Grads) Differentiate(NetSpec spec, IReadOnlyList<Tensor> parameters, Tensor flatInput,
        Tensor labels, double smoothing, TwinBatchNorms? norms, bool wrtInput)
    {
        var leaves = parameters.Select(t => t.detach().requires_grad_(true)).ToList();
        var x = wrtInput ? flatInput.detach().requires_grad_(true) : flatInput;
        using var grad = enable_grad();
        var loss = TwinOps.SoftmaxCrossEntropy(AutogradTwin.Forward(spec, leaves, x, norms), labels, smoothing);
        var grads = torch.autograd.grad([loss], wrtInput ? [.. leaves, x] : leaves);
        return (loss.detach(), grads.ToList());
    }
}
