using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace CustomLayerSample;

/// <summary>
/// The spec-file side of the layer: <c>custom: {type: CustomLayerSample.LearnableLeakyRelu, channels: 8}</c>. A leaky ReLU with
/// one learnable slope per channel (PReLU): y = x where x &gt; 0, α_c·x elsewhere; α starts at 0.25 (He et al. 2015).
/// </summary>
public sealed class LearnableLeakyRelu(long channels) : ICustomLayer
{
    public long Channels { get; } = channels > 0 ? channels : throw new ArgumentException($"channels must be at least 1, not {channels}");

    // Bias role: a constant init, no He seed and no weight decay (the PReLU paper decays no slopes).
    public IReadOnlyList<ParamTensor> Tensors() => [new ParamTensor("alpha", [Channels], ParamRole.Bias)];

    public Shape? Next(Shape x) => x.Kind == ShapeKind.Image && x.A == Channels ? x : null;

    public string Needs(Shape x) => $"{Channels}×H×W ({Channels} channels)";

    public IVjpNode Rule(Init init, string name) => new LeakyReluRule(Channels, init, name, correct: true);
}

/// <summary>The same layer with a deliberately wrong backward (it forgets the x ≤ 0 mask in ∂α): lmv train must refuse it.</summary>
public sealed class WrongLeakyRelu(long channels) : ICustomLayer
{
    readonly LearnableLeakyRelu right = new(channels);

    public IReadOnlyList<ParamTensor> Tensors() => right.Tensors();
    public Shape? Next(Shape x) => right.Next(x);
    public string Needs(Shape x) => right.Needs(x);
    public IVjpNode Rule(Init init, string name) => new LeakyReluRule(right.Channels, init, name, correct: false);
}

/// <summary>
/// The rule: forward and pullback written once against TorchSharp, on x's dtype and device. With m = [x &gt; 0] and
/// s = m + (1 − m)·α (α broadcast over N, H, W): y = s·x, dx = s·dy, ∂α_c = Σ_{n,h,w} dy·x·(1 − m).
/// </summary>
sealed class LeakyReluRule : HasVjp<Tensor3, Tensor3>
{
    readonly Parameter alpha;
    readonly long channels;
    readonly bool correct;

    public LeakyReluRule(long channels, Init init, string name, bool correct)
        : base("custom:learnableLeakyRelu", $"learnable leaky ReLU {channels}ch")
    {
        this.channels = channels;
        this.correct = correct;
        alpha = Own(new Parameter($"{name}.alpha", Item, init.Ones(channels).MulInPlace(0.25)));
    }

    protected override void CheckInput(Tensor3 x) => Shapes.Require(x.T, [-1, channels, -1, -1], Culprit, "x");

    protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
    {
        var positive = x.T.Gt(0).to(x.T.dtype);
        var negative = positive.RSub(1);
        var scale = positive.Add(negative * alpha.Value.view(1, channels, 1, 1)); // Add: an alpha Scalar that outlives the call
        var y = new Tensor3(scale * x.T);
        return (y, dy =>
        {
            // The wrong variant drops the mask: it credits α with the positive side too.
            var credit = correct ? dy.T * x.T * negative : dy.T * x.T;
            alpha.Accumulate(credit.sum([0, 2, 3]), Culprit);
            return new Tensor3(scale * dy.T);
        });
    }
}
