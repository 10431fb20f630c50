namespace LeanMlirVerify.Training.Specs;

/// <summary>What a parameter tensor is for; decides its initialisation and whether weight decay applies.</summary>
public enum ParamRole { Kernel, Bias, BnGamma, BnBeta, LnGamma, LnBeta, ClsToken, Positions }

/// <summary>
/// One parameter tensor (facts §2.1): its name, shape (dense kernels are [fanIn, fanOut]; convs OIHW; depthwise
/// [C, 1, k, k]), role, and the fan-in of its He initialisation (0 for constant-initialised tensors).
/// </summary>
public sealed record ParamTensor(string Name, long[] Shape, ParamRole Role, long FanIn = 0)
{
    public long Size => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Decoupled weight decay applies to kernels only: never biases, BN/LN γ β, CLS token or positions.</summary>
    public bool IsDecayed => Role == ParamRole.Kernel;

    /// <summary>He-initialised tensors (kernels and the positional table) each consume one seed, in tensor order.</summary>
    public bool ConsumesSeed => Role is ParamRole.Kernel or ParamRole.Positions;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>One batch-norm layer in the original's collection order (facts §2.2): stats are mean[c] then var[c].</summary>
public sealed record BnLayer(int LayerIndex, string Name, long Channels);

/// <summary>
/// The parameter tensors each codegen-backed constructor emits, in the exact order of facts §2.1 / training facts §4.2.
/// Constructors that are not codegen-backed emit none (their nParams is still counted).
/// </summary>
public static class ParamTensors
{
    /// <summary>Every tensor of the spec, names prefixed "L&lt;index&gt;.", layers in order.</summary>
    public static IReadOnlyList<ParamTensor> Of(NetSpec spec) =>
        spec.Layers.SelectMany((layer, i) => Prefixed(layer, i)).ToList();

    /// <summary>BN layers of the spec: one per BN γ tensor, in tensor order (named by the γ tensor's prefix).</summary>
    public static IReadOnlyList<BnLayer> BnLayers(NetSpec spec) =>
        spec.Layers.SelectMany((layer, i) => BnOf(Prefixed(layer, i), i)).ToList();

    public static IReadOnlyList<BnLayer> BnLayers(Layer layer) => BnOf(Prefixed(layer, 0), 0).ToList();

    static IEnumerable<ParamTensor> Prefixed(Layer layer, int index) =>
        Of(layer).Select(t => t with { Name = $"L{index}.{t.Name}" });

    static IEnumerable<BnLayer> BnOf(IEnumerable<ParamTensor> tensors, int index) =>
        tensors.Where(t => t.Role == ParamRole.BnGamma).Select(t => new BnLayer(index, t.Name[..^".gamma".Length], t.Shape[0]));

    /// <summary>Running-statistics floats: Σ 2·c over BN layers.</summary>
    public static long BnStatFloats(NetSpec spec) => BnLayers(spec).Sum(b => 2 * b.Channels);

    public static long BnStatFloats(Layer layer) => BnLayers(layer).Sum(b => 2 * b.Channels);

    public static IReadOnlyList<ParamTensor> Of(Layer layer)
    {
        var t = new List<ParamTensor>();
        switch (layer)
        {
            case Conv2d l:
                t.Add(Kernel("W", [l.Oc, l.Ic, l.K, l.K], l.Ic * l.K * l.K));
                t.Add(Vec("b", l.Oc, ParamRole.Bias));
                break;
            case ConvBn l:
                ConvBnTriple(t, "", l.Oc, l.Ic, l.K);
                break;
            case Dense l:
                t.Add(Kernel("W", [l.FanIn, l.FanOut], l.FanIn));
                t.Add(Vec("b", l.FanOut, ParamRole.Bias));
                break;
            case ResidualBlock l:
                for (long b = 0; b < l.NBlocks; b++)
                {
                    long c = b == 0 ? l.Ic : l.Oc;
                    ConvBnTriple(t, $"B{b}.conv1.", l.Oc, c, 3);
                    ConvBnTriple(t, $"B{b}.conv2.", l.Oc, l.Oc, 3);
                    if (b == 0 && !(l.Ic == l.Oc && l.FirstStride == 1)) ConvBnTriple(t, $"B{b}.proj.", l.Oc, l.Ic, 1);
                }
                break;
            case BottleneckBlock l:
                for (long b = 0, mid = l.Oc / 4; b < l.NBlocks; b++)
                {
                    long c = b == 0 ? l.Ic : l.Oc;
                    ConvBnTriple(t, $"B{b}.reduce.", mid, c, 1);
                    ConvBnTriple(t, $"B{b}.conv3x3.", mid, mid, 3);
                    ConvBnTriple(t, $"B{b}.expand.", l.Oc, mid, 1);
                    if (b == 0 && !(l.Ic == l.Oc && l.FirstStride == 1)) ConvBnTriple(t, $"B{b}.proj.", l.Oc, l.Ic, 1);
                }
                break;
            case InvertedResidual l:
                for (long b = 0; b < l.NBlocks; b++)
                    MobileBlock(t, $"B{b}.", b == 0 ? l.Ic : l.Oc, l.Oc, l.Expand != 1, (b == 0 ? l.Ic : l.Oc) * l.Expand, 3, useSE: false);
                break;
            case MbConv l:
                for (long b = 0; b < l.NBlocks; b++)
                    MobileBlock(t, $"B{b}.", b == 0 ? l.Ic : l.Oc, l.Oc, l.Expand != 1, (b == 0 ? l.Ic : l.Oc) * l.Expand, l.K, l.UseSE);
                break;
            case MbConvV3 l:
                MobileBlock(t, "", l.Ic, l.Oc, l.ExpandCh != l.Ic, l.ExpandCh, l.K, l.UseSE);
                break;
            case FusedMbConv l:
                for (long b = 0; b < l.NBlocks; b++)
                {
                    long c = b == 0 ? l.Ic : l.Oc, mid = Accounting.FusedMid(l, c);
                    ConvBnTriple(t, $"B{b}.fused.", mid, c, l.K);
                    if (l.UseSE) SeQuadruple(t, $"B{b}.", mid);
                    if (l.Expand != 1) ConvBnTriple(t, $"B{b}.project.", l.Oc, mid, 1);
                }
                break;
            case Uib l:
                long uibMid = Accounting.UibMid(l);
                if (l.PreDWk > 0) DepthwiseTriple(t, "preDW.", l.Ic, l.PreDWk);
                ConvBnTriple(t, "expand.", uibMid, l.Ic, 1);
                if (l.PostDWk > 0) DepthwiseTriple(t, "postDW.", uibMid, l.PostDWk);
                ConvBnTriple(t, "project.", l.Oc, uibMid, 1);
                break;
            case PatchEmbed l:
                t.Add(Kernel("W", [l.Dim, l.Ic, l.PatchSize, l.PatchSize], l.Ic * l.PatchSize * l.PatchSize));
                t.Add(Vec("b", l.Dim, ParamRole.Bias));
                t.Add(Vec("cls", l.Dim, ParamRole.ClsToken));
                t.Add(new ParamTensor("pos", [l.NPatches + 1, l.Dim], ParamRole.Positions, l.NPatches + 1));
                break;
            case TransformerEncoder l:
                for (long b = 0; b < l.NBlocks; b++)
                {
                    LayerNorm(t, $"B{b}.ln1.", l.Dim);
                    foreach (var proj in new[] { "q", "k", "v", "o" }) DenseTensors(t, $"B{b}.{proj}.", l.Dim, l.Dim);
                    LayerNorm(t, $"B{b}.ln2.", l.Dim);
                    DenseTensors(t, $"B{b}.fc1.", l.Dim, l.MlpDim);
                    DenseTensors(t, $"B{b}.fc2.", l.MlpDim, l.Dim);
                }
                LayerNorm(t, "ln.", l.Dim);
                break;
        }
        return t;
    }

    static ParamTensor Kernel(string name, long[] shape, long fanIn) => new(name, shape, ParamRole.Kernel, fanIn);
    static ParamTensor Vec(string name, long n, ParamRole role) => new(name, [n], role);

    static void ConvBnTriple(List<ParamTensor> t, string prefix, long oc, long ic, long k)
    {
        t.Add(Kernel(prefix + "W", [oc, ic, k, k], ic * k * k));
        t.Add(Vec(prefix + "gamma", oc, ParamRole.BnGamma));
        t.Add(Vec(prefix + "beta", oc, ParamRole.BnBeta));
    }

    static void DepthwiseTriple(List<ParamTensor> t, string prefix, long c, long k)
    {
        t.Add(Kernel(prefix + "W", [c, 1, k, k], k * k));
        t.Add(Vec(prefix + "gamma", c, ParamRole.BnGamma));
        t.Add(Vec(prefix + "beta", c, ParamRole.BnBeta));
    }

    /// <summary>SE stored as 1×1 conv kernels with biases: reduce [seMid, mid, 1, 1], expand [mid, seMid, 1, 1].</summary>
    static void SeQuadruple(List<ParamTensor> t, string prefix, long mid)
    {
        long seMid = Accounting.SeMid(mid);
        t.Add(Kernel(prefix + "se.reduce.W", [seMid, mid, 1, 1], mid));
        t.Add(Vec(prefix + "se.reduce.b", seMid, ParamRole.Bias));
        t.Add(Kernel(prefix + "se.expand.W", [mid, seMid, 1, 1], seMid));
        t.Add(Vec(prefix + "se.expand.b", mid, ParamRole.Bias));
    }

    /// <summary>Expand 1×1 (when present), depthwise k×k, optional SE, project 1×1: invertedResidual, mbConv, mbConvV3.</summary>
    static void MobileBlock(List<ParamTensor> t, string prefix, long c, long oc, bool hasExpand, long mid, long k, bool useSE)
    {
        if (hasExpand) ConvBnTriple(t, prefix + "expand.", mid, c, 1);
        DepthwiseTriple(t, prefix + "dw.", mid, k);
        if (useSE) SeQuadruple(t, prefix, mid);
        ConvBnTriple(t, prefix + "project.", oc, mid, 1);
    }

    static void DenseTensors(List<ParamTensor> t, string prefix, long fanIn, long fanOut)
    {
        t.Add(Kernel(prefix + "W", [fanIn, fanOut], fanIn));
        t.Add(Vec(prefix + "b", fanOut, ParamRole.Bias));
    }

    static void LayerNorm(List<ParamTensor> t, string prefix, long dim)
    {
        t.Add(Vec(prefix + "gamma", dim, ParamRole.LnGamma));
        t.Add(Vec(prefix + "beta", dim, ParamRole.LnBeta));
    }
}
