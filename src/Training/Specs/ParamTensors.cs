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
/// The parameter tensors of a spec, in the exact order of facts §2.1 / training facts §4.2: each trainable
/// constructor's own list (<see cref="TrainableLayer.Tensors"/>), layers in order.
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

    /// <summary>
    /// A layer's tensors, unprefixed: a trainable constructor's own list; none for the accounting-only ones, which the
    /// original's code generator does not back either (their nParams is still counted).
    /// </summary>
    public static IReadOnlyList<ParamTensor> Of(Layer layer) => layer is TrainableLayer t ? t.Tensors() : [];
}

/// <summary>
/// Builds one constructor's tensor list in the original's order (facts §2.1): the pieces its blocks share, each with the
/// original's names, layouts and He fan-ins.
/// </summary>
public sealed class TensorList
{
    readonly List<ParamTensor> t = [];

    public IReadOnlyList<ParamTensor> Tensors => t;

    public TensorList Kernel(string name, long[] shape, long fanIn) => Add(new(name, shape, ParamRole.Kernel, fanIn));

    public TensorList Vector(string name, long n, ParamRole role) => Add(new(name, [n], role));

    public TensorList Add(ParamTensor tensor)
    {
        t.Add(tensor);
        return this;
    }

    /// <summary>Kernel [oc, ic, k, k], BN γ and β [oc].</summary>
    public TensorList ConvBn(string prefix, long oc, long ic, long k) =>
        Kernel(prefix + "W", [oc, ic, k, k], ic * k * k).BatchNorm(prefix, oc);

    /// <summary>Depthwise kernel [c, 1, k, k] (fan-in k²), BN γ and β [c].</summary>
    public TensorList DepthwiseBn(string prefix, long c, long k) =>
        Kernel(prefix + "W", [c, 1, k, k], k * k).BatchNorm(prefix, c);

    TensorList BatchNorm(string prefix, long c) =>
        Vector(prefix + "gamma", c, ParamRole.BnGamma).Vector(prefix + "beta", c, ParamRole.BnBeta);

    /// <summary>SE stored as 1×1 conv kernels with biases: reduce [seMid, mid, 1, 1], expand [mid, seMid, 1, 1].</summary>
    public TensorList SqueezeExcite(string prefix, long mid)
    {
        long seMid = Accounting.SeMid(mid);
        return Kernel(prefix + "se.reduce.W", [seMid, mid, 1, 1], mid).Vector(prefix + "se.reduce.b", seMid, ParamRole.Bias)
            .Kernel(prefix + "se.expand.W", [mid, seMid, 1, 1], seMid).Vector(prefix + "se.expand.b", mid, ParamRole.Bias);
    }

    /// <summary>Expand 1×1 (when present), depthwise k×k, optional SE, project 1×1: invertedResidual, mbConv, mbConvV3.</summary>
    public TensorList Mobile(string prefix, long c, long oc, bool hasExpand, long mid, long k, bool useSE)
    {
        if (hasExpand) ConvBn(prefix + "expand.", mid, c, 1);
        DepthwiseBn(prefix + "dw.", mid, k);
        if (useSE) SqueezeExcite(prefix, mid);
        return ConvBn(prefix + "project.", oc, mid, 1);
    }

    /// <summary>Dense kernel [fanIn, fanOut] (input-major) and bias [fanOut].</summary>
    public TensorList Dense(string prefix, long fanIn, long fanOut) =>
        Kernel(prefix + "W", [fanIn, fanOut], fanIn).Vector(prefix + "b", fanOut, ParamRole.Bias);

    public TensorList LayerNorm(string prefix, long dim) =>
        Vector(prefix + "gamma", dim, ParamRole.LnGamma).Vector(prefix + "beta", dim, ParamRole.LnBeta);
}
