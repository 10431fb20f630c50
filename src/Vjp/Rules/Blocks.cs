using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// The Part-1 CNN blocks (netspec facts §3.A) as compositions of existing rules: no backward code here. Parameter
/// order equals the book's tensor order (per conv-with-BN: kernel, γ, β; SE: reduce W, b, expand W, b), and so does
/// creation order: each He tensor draws the next seed from the <see cref="Init"/>, as the original does in tensor order.
/// Activation names: "relu", "relu6", "swish", "hswish", "identity".
/// </summary>
public static class Blocks
{
    /// <summary>conv (no bias) k×k, stride s, SAME → BN → activation ("identity" adds none).</summary>
    public static HasVjp<Tensor3, Tensor3> ConvBn(long ic, long oc, long k, long stride, string act, Init init, string name = "convBn") =>
        WithActivation(
            Conv2d.Create(ic, oc, k, stride, bias: false, init, $"{name}.conv").Then(new BatchNorm(oc, init, $"{name}.bn")), act);

    /// <summary>depthwise k×k (no bias), stride s → BN → activation.</summary>
    public static HasVjp<Tensor3, Tensor3> DepthwiseBn(long c, long k, long stride, string act, Init init, string name = "dwBn") =>
        WithActivation(Conv2d.Depthwise(c, k, stride, bias: false, init, $"{name}.dw").Then(new BatchNorm(c, init, $"{name}.bn")), act);

    /// <summary>main(x) + shortcut(x) (item 51): additive fan-in with the identity or a projection.</summary>
    public static HasVjp<Tensor3, Tensor3> Residual(HasVjp<Tensor3, Tensor3> main, HasVjp<Tensor3, Tensor3>? projection = null) =>
        Compose.Named(ItemId.residual_has_vjp, projection is null ? "residual (identity)" : "residual (projection)",
            Compose.Add(main, projection ?? Compose.Identity<Tensor3>()));

    /// <summary>ResNet basic block: 3×3 convBn relu, 3×3 convBn, shortcut (1×1 convBn when shapes change), add, relu.</summary>
    public static HasVjp<Tensor3, Tensor3> BasicBlock(long ic, long oc, long stride, Init init, string name = "basic")
    {
        var main = ConvBn(ic, oc, 3, stride, "relu", init, $"{name}.conv1").Then(ConvBn(oc, oc, 3, 1, "identity", init, $"{name}.conv2"));
        var projection = ic == oc && stride == 1 ? null : ConvBn(ic, oc, 1, stride, "identity", init, $"{name}.proj");
        return Residual(main, projection).Then(Activations.Relu<Tensor3>());
    }

    /// <summary>ResNet-50 bottleneck, mid = ⌊oc/4⌋, stride on the 3×3.</summary>
    public static HasVjp<Tensor3, Tensor3> Bottleneck(long ic, long oc, long stride, Init init, string name = "bottleneck")
    {
        var mid = oc / 4;
        var main = ConvBn(ic, mid, 1, 1, "relu", init, $"{name}.reduce")
            .Then(ConvBn(mid, mid, 3, stride, "relu", init, $"{name}.conv"))
            .Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.expand"));
        var projection = ic == oc && stride == 1 ? null : ConvBn(ic, oc, 1, stride, "identity", init, $"{name}.proj");
        return Residual(main, projection).Then(Activations.Relu<Tensor3>());
    }

    /// <summary>MobileNet V2 block: [1×1 expand relu6] → 3×3 depthwise relu6 → 1×1 project; residual iff s = 1 and ic =
    /// oc.</summary>
    public static HasVjp<Tensor3, Tensor3> InvertedResidual(long ic, long oc, long expand, long stride, Init init, string name = "ir")
    {
        var mid = ic * expand;
        var expansion = expand != 1 ? ConvBn(ic, mid, 1, 1, "relu6", init, $"{name}.expand") : null;
        var dw = DepthwiseBn(mid, 3, stride, "relu6", init, $"{name}.dw");
        var body = (expansion is null ? dw : expansion.Then(dw)).Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.project"));
        return ResidualIf(stride == 1 && ic == oc, body);
    }

    /// <summary>
    /// Squeeze-and-excitation on <paramref name="channels"/> (item 56): x ⊙ gate(x), gate = global average pool →
    /// 1×1 conv (bias) → inner activation → 1×1 conv (bias) → gate activation.
    /// </summary>
    public static HasVjp<Tensor3, Tensor3> SqueezeExcite(long channels, long seMid, string innerAct, string gateAct, Init init,
        string name = "se")
    {
        var gate = new GlobalAvgPool<Tensor3>()
            .Then(Conv2d.Create(channels, seMid, 1, 1, bias: true, init, $"{name}.reduce"))
            .Then(Activations.ByName<Tensor3>(innerAct))
            .Then(Conv2d.Create(seMid, channels, 1, 1, bias: true, init, $"{name}.expand"))
            .Then(Activations.ByName<Tensor3>(gateAct));
        return Compose.Named(ItemId.seBlock_has_vjp, $"{name} {channels}→{seMid}", Compose.Multiply(Compose.Identity<Tensor3>(), gate));
    }

    /// <summary>EfficientNet MBConv: [1×1 expand swish] → k×k depthwise swish → [SE(mid, max(1, mid/4))] → 1×1 project.</summary>
    public static HasVjp<Tensor3, Tensor3> MbConv(long ic, long oc, long expand, long k, long stride, bool useSe, Init init,
        string name = "mb")
    {
        var mid = ic * expand;
        var expansion = expand != 1 ? ConvBn(ic, mid, 1, 1, "swish", init, $"{name}.expand") : null;
        var dw = DepthwiseBn(mid, k, stride, "swish", init, $"{name}.dw");
        var body = expansion is null ? dw : expansion.Then(dw);
        if (useSe) body = body.Then(SqueezeExcite(mid, Math.Max(1, mid / 4), "swish", "sigmoid", init, $"{name}.se"));
        return ResidualIf(stride == 1 && ic == oc, body.Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.project")));
    }

    /// <summary>MobileNet V3 block: mid = expandCh; act hard-swish or ReLU; SE with ReLU and hard-sigmoid.</summary>
    public static HasVjp<Tensor3, Tensor3> MbConvV3(long ic, long oc, long expandCh, long k, long stride, bool useSe, bool useHSwish,
        Init init, string name = "mb3")
    {
        var act = useHSwish ? "hswish" : "relu";
        var mid = expandCh;
        var expansion = expandCh != ic ? ConvBn(ic, mid, 1, 1, act, init, $"{name}.expand") : null;
        var dw = DepthwiseBn(mid, k, stride, act, init, $"{name}.dw");
        var body = expansion is null ? dw : expansion.Then(dw);
        if (useSe) body = body.Then(SqueezeExcite(mid, Math.Max(1, mid / 4), "relu", "hsigmoid", init, $"{name}.se"));
        return ResidualIf(stride == 1 && ic == oc, body.Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.project")));
    }

    /// <summary>Fused MBConv: full k×k conv swish (mid = oc if expand = 1) → [SE] → [1×1 project when expand ≠ 1].</summary>
    public static HasVjp<Tensor3, Tensor3> FusedMbConv(long ic, long oc, long expand, long k, long stride, bool useSe, Init init,
        string name = "fused")
    {
        var mid = expand == 1 ? oc : ic * expand;
        var body = ConvBn(ic, mid, k, stride, "swish", init, $"{name}.conv");
        if (useSe) body = body.Then(SqueezeExcite(mid, Math.Max(1, mid / 4), "swish", "sigmoid", init, $"{name}.se"));
        if (expand != 1) body = body.Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.project"));
        return ResidualIf(stride == 1 && ic == oc, body);
    }

    /// <summary>
    /// MobileNet V4 universal inverted bottleneck (kernel 0 = absent): [pre-dw, stride s] → 1×1 expand → [post-dw,
    /// stride s only without pre-dw] → 1×1 project; all ReLU; residual iff s = 1 and ic = oc.
    /// </summary>
    public static HasVjp<Tensor3, Tensor3> Uib(long ic, long oc, long expand, long stride, long preDwK, long postDwK, Init init,
        string name = "uib")
    {
        var mid = ic * expand;
        var preDw = preDwK > 0 ? DepthwiseBn(ic, preDwK, stride, "relu", init, $"{name}.preDw") : null;
        var expansion = ConvBn(ic, mid, 1, 1, "relu", init, $"{name}.expand");
        var body = preDw is null ? expansion : preDw.Then(expansion);
        if (postDwK > 0) body = body.Then(DepthwiseBn(mid, postDwK, preDwK > 0 ? 1 : stride, "relu", init, $"{name}.postDw"));
        return ResidualIf(stride == 1 && ic == oc, body.Then(ConvBn(mid, oc, 1, 1, "identity", init, $"{name}.project")));
    }

    /// <summary>The MLP of chapter 3 (item 37): dense layers with ReLU between them, none after the last.</summary>
    public static HasVjp<Vec, Vec> Mlp(long[] widths, Init init, string name = "mlp")
    {
        if (widths.Length < 2) throw new ArgumentException($"{name}: an MLP needs at least an input and an output width", nameof(widths));
        HasVjp<Vec, Vec> net = new Dense(widths[0], widths[1], init, $"{name}.fc1");
        for (var i = 2; i < widths.Length; i++)
            net = net.Then(Activations.Relu<Vec>()).Then(new Dense(widths[i - 1], widths[i], init, $"{name}.fc{i}"));
        return Compose.Named(ItemId.mlp_has_vjp, $"{name} {string.Join("→", widths)}", net);
    }

    /// <summary>
    /// A stage of <paramref name="blocks"/> blocks: block 0 takes (ic, firstStride), later blocks (oc, 1), as every
    /// staged constructor of the net specs does.
    /// </summary>
    public static HasVjp<Tensor3, Tensor3> Stage(long ic, long oc, long blocks, long firstStride,
        Func<long, long, long, string, HasVjp<Tensor3, Tensor3>> block, string name = "stage")
    {
        if (blocks < 1) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, $"{name}: a stage needs at least one block");
        var stage = block(ic, oc, firstStride, $"{name}.0");
        for (var b = 1; b < blocks; b++) stage = stage.Then(block(oc, oc, 1, $"{name}.{b}"));
        return stage;
    }

    static HasVjp<Tensor3, Tensor3> ResidualIf(bool identityFits, HasVjp<Tensor3, Tensor3> body) =>
        identityFits ? Residual(body) : body;

    static HasVjp<Tensor3, Tensor3> WithActivation(HasVjp<Tensor3, Tensor3> body, string act) =>
        act == "identity" ? body : body.Then(Activations.ByName<Tensor3>(act));
}
