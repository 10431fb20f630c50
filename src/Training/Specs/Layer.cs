namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// One layer constructor of a spec: the book's 39 (netspec facts §3) and this project's additions
/// (<c>docs/adding-a-layer.md</c>). Everything a constructor knows about itself lives in its own file under
/// <c>Specs/Layers/</c>: its factory (arguments in the book's declaration order, so <c>Layer.Dense(784, 512,
/// Activation.Relu)</c> reads like <c>.dense 784 512 .relu</c>), parameter count, channels, notation and, for the
/// trainable ones, parameter tensors, shape rule and argument checks. Every member below is abstract on purpose: a
/// new constructor states each fact or does not compile, and a test checks no intermediate base answers for it.
/// Counts are natural numbers held as <see cref="long"/>, exact in 64 bits (see <see cref="Accounting"/>).
/// </summary>
public abstract partial record Layer
{
    /// <summary>The book's constructor name (camelCase, as in the listings and the ledger).</summary>
    public virtual string Constructor => char.ToLowerInvariant(GetType().Name[0]) + GetType().Name[1..];

    /// <summary>True for the constructors with a forward and backward here (facts §2.7); the rest are accounting only.</summary>
    public virtual bool IsTrainable => false;

    /// <summary>
    /// The ledger definition this constructor realises: Definition 38 (conv2d), 42 (maxPool2) and the bestiary's 82–103;
    /// null where the book numbers no definition (the other Part-1 blocks are compositions its theorems cover).
    /// </summary>
    public virtual string? LedgerItem => null;

    /// <summary>The parameter count by the book's formula (facts §3.A; pooling and reshaping count 0).</summary>
    public abstract long NParams();

    /// <summary>Input channels as the original's validator reads them (facts §3.C); 0 accepts anything.</summary>
    public abstract long In();

    /// <summary>Output channels as the original's validator reads them (facts §3.C); 0 passes nothing on.</summary>
    public abstract long Out();

    /// <summary>How the original's channel validator (facts §2.5) chains channels across this layer.</summary>
    public abstract ChannelChaining Chaining { get; }

    /// <summary>The compact notation of the facts (§4), e.g. <c>fc(784→512,relu)</c>, <c>res(64→128,×4,s2)</c>.</summary>
    public abstract string Compact();
}

/// <summary>What the original's channel validator (facts §2.5) does after a layer.</summary>
public enum ChannelChaining
{
    /// <summary>Its out-channels, when it has any, are what the next layer must take.</summary>
    Carries,

    /// <summary>Global average pooling: the next layer is checked against the channels before it, even after a flatten.</summary>
    Averages,

    /// <summary>Flatten: the next layer's width is not checked (until a global pool or a token model re-arms the check).</summary>
    Flattens,

    /// <summary>A token model (transformer encoder or decoder, mamba, evoformer, structure module): like a global pool.</summary>
    Tokens,

    /// <summary>Neither carries nor resets anything (the original skips swinStage).</summary>
    Skipped,
}

/// <summary>
/// A constructor with a forward and backward here (facts §2.7): besides the accounting, its parameter tensors, its shape
/// rule and argument checks, and how it fits a dataset. <c>NetworkBuilder</c> (Vjp rules) and <c>AutogradTwin</c>
/// (autograd ops) each interpret it on their own, on purpose.
/// </summary>
public abstract record TrainableLayer : Layer
{
    public override bool IsTrainable => true;

    /// <summary>Its parameter tensors in the original's order and layouts (facts §2.1), names unprefixed.</summary>
    public abstract IReadOnlyList<ParamTensor> Tensors();

    /// <summary>The shape rule: its output for the per-sample input <paramref name="x"/>, or null when it cannot take x.</summary>
    public abstract Shape? Next(Shape x);

    /// <summary>What it needs, for the message when <see cref="Next"/> refuses <paramref name="x"/>.</summary>
    public abstract string Needs(Shape x);

    /// <summary>Null when its arguments can run; otherwise what is wrong with them.</summary>
    public abstract string? ArgumentProblem();

    /// <summary>The input the runtime feeds when this layer opens a net on h×w data (facts §2.3).</summary>
    public abstract Shape Opening(long h, long w);

    /// <summary>
    /// This layer opening a net on images of <paramref name="channels"/> channels: the constructors that open on an
    /// image (see <see cref="Opening"/>) take them as their input channels; the others are returned unchanged.
    /// </summary>
    public abstract TrainableLayer OpeningOn(long channels);

    /// <summary>
    /// The same constructor with the argument that the incoming size decides (a dense fan-in, a patch count) re-derived
    /// from <paramref name="x"/>; null when it has none or it already fits.
    /// </summary>
    public abstract TrainableLayer? FitTo(Shape x);

    /// <summary>Multiply-adds per sample of its matmul-shaped forward product, given its output; NaN where not counted.</summary>
    public abstract double MultiplyAdds(Shape output);

    /// <summary>The message when <see cref="Next"/> refuses <paramref name="x"/> coming from <paramref name="from"/>.</summary>
    public virtual string Mismatch(Shape x, string from) => $"needs {Needs(x)} but {from} gives {x}";

    /// <summary>An image block's shape rule: <see cref="Layer.In"/> channels in, <see cref="Layer.Out"/> out, SAME at the stride.</summary>
    protected Shape? ImageBlock(Shape x, long stride) =>
        x.Kind == ShapeKind.Image && x.A == In()
            ? Shape.Image(Out(), ShapeInference.Same(x.B, stride), ShapeInference.Same(x.C, stride))
            : null;

    /// <summary>What an image block needs: its input channels at the incoming height and width.</summary>
    protected string ImageNeeds(Shape x) =>
        x.Kind == ShapeKind.Image ? $"{In()}×{x.B}×{x.C} ({In()} channels)" : $"{In()}×H×W";

    /// <summary>The original's default input: a flat vector of the data's H·W values.</summary>
    protected static Shape FlatOpening(long h, long w) => Shape.Flat(h * w);
}

/// <summary>A chapter-11 constructor: parameter formula and channel numbers only, tied to its ledger definition.</summary>
public abstract record BestiaryLayer(string Item) : Layer
{
    public override string Constructor => Item;
    public override string? LedgerItem => Item;
}
