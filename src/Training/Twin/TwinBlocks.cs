using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Twin;

/// <summary>
/// Hands out a block's parameter tensors in the book's order (facts §2.1), checking each shape so a layout slip
/// names the tensor instead of surfacing as a libtorch shape error deep in a forward.
/// </summary>
public sealed class ParamCursor(IReadOnlyList<Tensor> tensors, string owner, TwinBatchNorms? norms = null)
{
    int next;

    /// <summary>The forward's batch norms: training mode (batch statistics) unless <paramref name="norms"/> says otherwise.</summary>
    public Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta) =>
        norms is null ? TwinOps.BatchNormTrain(x, gamma, beta) : norms.Apply(x, gamma, beta);

    public int Used => next;

    public Tensor Next(string what, params long[] shape)
    {
        if (next >= tensors.Count)
            throw new ArgumentException($"{owner}: {what} needs parameter #{next}, but only {tensors.Count} were given");
        var t = tensors[next];
        if (!t.shape.SequenceEqual(shape))
            throw new ArgumentException(
                $"{owner}: parameter #{next} ({what}) has shape [{string.Join(",", t.shape)}] but must be [{string.Join(",", shape)}]");
        next++;
        return t;
    }

    /// <summary>Throws unless every tensor was consumed.</summary>
    public void RequireEnd()
    {
        if (next != tensors.Count)
            throw new ArgumentException($"{owner}: {tensors.Count} parameters given, {next} used");
    }
}

/// <summary>
/// Twin forms of the Part-1 blocks (netspec facts §3.A) and the ViT's patch embedding and encoder, built from <see cref="TwinOps"/> in
/// training mode
/// (batch statistics). Each reads its tensors from a <see cref="ParamCursor"/> in the book's order.
/// </summary>
public static class TwinBlocks
{
    /// <summary>conv (no bias) k×k stride s SAME → BN → activation.</summary>
    public static Tensor ConvBn(Tensor x, ParamCursor p, long ic, long oc, long k, long stride, string act)
    {
        var w = p.Next("conv kernel", oc, ic, k, k);
        var gamma = p.Next("bn γ", oc);
        var beta = p.Next("bn β", oc);
        return TwinOps.Activation(act, p.BatchNorm(TwinOps.Conv2d(x, w, null, stride), gamma, beta));
    }

    /// <summary>depthwise k×k (no bias) stride s → BN → activation.</summary>
    public static Tensor DepthwiseBn(Tensor x, ParamCursor p, long c, long k, long stride, string act)
    {
        var w = p.Next("depthwise kernel", c, 1, k, k);
        var gamma = p.Next("bn γ", c);
        var beta = p.Next("bn β", c);
        return TwinOps.Activation(act, p.BatchNorm(TwinOps.Depthwise(x, w, null, stride), gamma, beta));
    }

    /// <summary>ResNet basic block: relu(convBn(convBn(x)) + shortcut).</summary>
    public static Tensor BasicBlock(Tensor x, ParamCursor p, long ic, long oc, long stride)
    {
        var main = ConvBn(ConvBn(x, p, ic, oc, 3, stride, "relu"), p, oc, oc, 3, 1, "identity");
        var shortcut = ic == oc && stride == 1 ? x : ConvBn(x, p, ic, oc, 1, stride, "identity");
        return TwinOps.Relu(main.Add(shortcut));
    }

    /// <summary>ResNet-50 bottleneck, mid = ⌊oc/4⌋, stride on the 3×3.</summary>
    public static Tensor Bottleneck(Tensor x, ParamCursor p, long ic, long oc, long stride)
    {
        var mid = oc / 4;
        var h = ConvBn(x, p, ic, mid, 1, 1, "relu");
        h = ConvBn(h, p, mid, mid, 3, stride, "relu");
        h = ConvBn(h, p, mid, oc, 1, 1, "identity");
        var shortcut = ic == oc && stride == 1 ? x : ConvBn(x, p, ic, oc, 1, stride, "identity");
        return TwinOps.Relu(h.Add(shortcut));
    }

    /// <summary>Squeeze-excitation: x ⊙ gateAct(W₂·innerAct(W₁·mean(x) + b₁) + b₂), kernels stored as 1×1 convs.</summary>
    public static Tensor SqueezeExcite(Tensor x, ParamCursor p, long c, long seMid, string innerAct, string gateAct)
    {
        var w1 = p.Next("se reduce kernel", seMid, c, 1, 1);
        var b1 = p.Next("se reduce bias", seMid);
        var w2 = p.Next("se expand kernel", c, seMid, 1, 1);
        var b2 = p.Next("se expand bias", c);
        // A 1×1 conv on a 1×1 map is a dense layer with W = kernelᵀ: the twin computes it that way on purpose.
        var s = TwinOps.GlobalAvgPool(x);
        var h = TwinOps.Activation(innerAct, TwinOps.Dense(s, w1.view(seMid, c).t(), b1));
        var gate = TwinOps.Activation(gateAct, TwinOps.Dense(h, w2.view(c, seMid).t(), b2));
        return x * gate.view(x.shape[0], c, 1, 1);
    }

    /// <summary>MobileNet V2 block (depthwise 3×3, ReLU6).</summary>
    public static Tensor InvertedResidual(Tensor x, ParamCursor p, long ic, long oc, long expand, long stride) =>
        Mobile(x, p, ic, oc, ic * expand, expand != 1, 3, stride, "relu6", null);

    /// <summary>EfficientNet MBConv (Swish; SE swish/sigmoid, seMid = max(1, ⌊mid/4⌋)).</summary>
    public static Tensor MbConv(Tensor x, ParamCursor p, long ic, long oc, long expand, long k, long stride, bool useSe) =>
        Mobile(x, p, ic, oc, ic * expand, expand != 1, k, stride, "swish", useSe ? ("swish", "sigmoid") : null);

    /// <summary>MobileNet V3 block: mid = expandCh; hard-swish or ReLU; SE ReLU / hard-sigmoid.</summary>
    public static Tensor MbConvV3(
        Tensor x, ParamCursor p, long ic, long oc, long expandCh, long k, long stride, bool useSe, bool useHSwish) =>
        Mobile(x, p, ic, oc, expandCh, expandCh != ic, k, stride, useHSwish ? "hswish" : "relu", useSe ? ("relu", "hsigmoid") : null);

    /// <summary>Fused MBConv: k×k conv swish (mid = oc if expand = 1) → [SE] → [1×1 project when expand ≠ 1].</summary>
    public static Tensor FusedMbConv(Tensor x, ParamCursor p, long ic, long oc, long expand, long k, long stride, bool useSe)
    {
        var mid = expand == 1 ? oc : ic * expand;
        var h = ConvBn(x, p, ic, mid, k, stride, "swish");
        if (useSe) h = SqueezeExcite(h, p, mid, Math.Max(1, mid / 4), "swish", "sigmoid");
        if (expand != 1) h = ConvBn(h, p, mid, oc, 1, 1, "identity");
        return stride == 1 && ic == oc ? x.Add(h) : h;
    }

    /// <summary>MobileNet V4 UIB (kernel 0 = absent), all ReLU.</summary>
    public static Tensor Uib(Tensor x, ParamCursor p, long ic, long oc, long expand, long stride, long preDwK, long postDwK)
    {
        var mid = ic * expand;
        var h = preDwK > 0 ? DepthwiseBn(x, p, ic, preDwK, stride, "relu") : x;
        h = ConvBn(h, p, ic, mid, 1, 1, "relu");
        if (postDwK > 0) h = DepthwiseBn(h, p, mid, postDwK, preDwK > 0 ? 1 : stride, "relu");
        h = ConvBn(h, p, mid, oc, 1, 1, "identity");
        return stride == 1 && ic == oc ? x.Add(h) : h;
    }

    /// <summary>
    /// ViT patch embedding: p×p conv with bias at stride p (SAME padding, zero when p divides H and W), the map read as
    /// tokens row-major over (h, w), the CLS vector prepended, the positional table added: [B, ic, H, W] → [B, N+1, dim].
    /// </summary>
    public static Tensor PatchEmbed(Tensor x, ParamCursor p, long ic, long dim, long patch, long patches)
    {
        var w = p.Next("patch kernel", dim, ic, patch, patch);
        var b = p.Next("patch bias", dim);
        var cls = p.Next("cls token", dim);
        var pos = p.Next("positions", patches + 1, dim);
        var tokens = TwinOps.Conv2d(x, w, b, patch).flatten(2).transpose(1, 2);
        if (tokens.shape[1] != patches)
            throw new ArgumentException(
                $"twin patchEmbed: a {x.shape[2]}×{x.shape[3]} image gives {tokens.shape[1]} patches of {patch}×{patch}, the positional "
                    + $"table has {patches}");
        return cat([cls.expand(tokens.shape[0], 1, dim), tokens], 1).Add(pos);
    }

    /// <summary>
    /// Pre-LN encoder on tokens [B, T, dim]: <see cref="TransformerBody"/>, then the CLS token (row 0) → [B, dim].
    /// </summary>
    public static Tensor TransformerEncoder(Tensor x, ParamCursor p, long dim, long heads, long mlp, long blocks) =>
        TransformerBody(x, p, dim, heads, mlp, blocks).select(1, 0);

    /// <summary>The blocks in order, then the final LayerNorm; tokens stay [B, T, dim].</summary>
    public static Tensor TransformerBody(Tensor x, ParamCursor p, long dim, long heads, long mlp, long blocks)
    {
        for (var b = 0L; b < blocks; b++) x = TransformerBlock(x, p, dim, heads, mlp, $"B{b}.");
        return TwinOps.LayerNorm(x, p.Next("final ln γ", dim), p.Next("final ln β", dim));
    }

    /// <summary>One pre-LN block: x += MHSA(LN1(x)), then x += FC2(GELU_tanh(FC1(LN2(x)))).</summary>
    public static Tensor TransformerBlock(Tensor x, ParamCursor p, long dim, long heads, long mlp, string at = "") =>
        MlpSublayer(AttentionSublayer(x, p, dim, heads, at), p, dim, mlp, at);

    /// <summary>x + MHSA(LN1(x)): LN1 γ β, then the q, k, v, o kernels and biases.</summary>
    public static Tensor AttentionSublayer(Tensor x, ParamCursor p, long dim, long heads, string at = "")
    {
        var h = TwinOps.LayerNorm(x, p.Next($"{at}ln1 γ", dim), p.Next($"{at}ln1 β", dim));
        var (wq, bq) = (p.Next($"{at}q kernel", dim, dim), p.Next($"{at}q bias", dim));
        var (wk, bk) = (p.Next($"{at}k kernel", dim, dim), p.Next($"{at}k bias", dim));
        var (wv, bv) = (p.Next($"{at}v kernel", dim, dim), p.Next($"{at}v bias", dim));
        var (wo, bo) = (p.Next($"{at}o kernel", dim, dim), p.Next($"{at}o bias", dim));
        return x.Add(TwinOps.Mhsa(h, heads, wq, bq, wk, bk, wv, bv, wo, bo));
    }

    /// <summary>x + MLP(LN2(x)): LN2 γ β, then <see cref="Mlp"/>.</summary>
    public static Tensor MlpSublayer(Tensor x, ParamCursor p, long dim, long mlp, string at = "") =>
        x.Add(Mlp(TwinOps.LayerNorm(x, p.Next($"{at}ln2 γ", dim), p.Next($"{at}ln2 β", dim)), p, dim, mlp, at));

    /// <summary>FC2(GELU_tanh(FC1(h))) per token: fc1 kernel [dim, mlp] and bias, fc2 kernel [mlp, dim] and bias.</summary>
    public static Tensor Mlp(Tensor h, ParamCursor p, long dim, long mlp, string at = "")
    {
        var (w1, b1) = (p.Next($"{at}fc1 kernel", dim, mlp), p.Next($"{at}fc1 bias", mlp));
        var (w2, b2) = (p.Next($"{at}fc2 kernel", mlp, dim), p.Next($"{at}fc2 bias", dim));
        return TwinOps.Dense(TwinOps.Gelu(TwinOps.Dense(h, w1, b1)), w2, b2);
    }

    static Tensor Mobile(Tensor x, ParamCursor p, long ic, long oc, long mid, bool hasExpand, long k, long stride, string act,
        (string Inner, string Gate)? se)
    {
        var h = hasExpand ? ConvBn(x, p, ic, mid, 1, 1, act) : x;
        h = DepthwiseBn(h, p, mid, k, stride, act);
        if (se is { } s) h = SqueezeExcite(h, p, mid, Math.Max(1, mid / 4), s.Inner, s.Gate);
        h = ConvBn(h, p, mid, oc, 1, 1, "identity");
        return stride == 1 && ic == oc ? x.Add(h) : h;
    }
}
