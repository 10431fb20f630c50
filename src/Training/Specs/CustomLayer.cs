using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// A layer written outside the library as a rule of the VJP algebra, named in a spec file as
/// <c>custom: {type: Namespace.Type, arg: value, …}</c> and loaded from the file's <c>plugins:</c>. The type implements
/// this interface and has one public constructor whose parameters (whole numbers, numbers, booleans or strings) the
/// file's arguments bind by name. It states what the builder cannot derive from a rule it did not write: its parameter
/// tensors (so the accounting, the optimizer's weight decay and the He seeds stay the spec's) and its shape rule (so a
/// spec that does not fit is refused before anything runs).
/// </summary>
public interface ICustomLayer
{
    /// <summary>
    /// Its parameter tensors in the order its rule registers them, names unprefixed. Tensors whose role consumes a He seed
    /// (<see cref="ParamTensor.ConsumesSeed"/>) must be drawn with <see cref="Init.He"/> in this order; the builder checks.
    /// </summary>
    IReadOnlyList<ParamTensor> Tensors();

    /// <summary>Its output for the per-sample input <paramref name="x"/>, or null when it cannot take x.</summary>
    Shape? Next(Shape x);

    /// <summary>What it needs, for the message when <see cref="Next"/> refuses <paramref name="x"/>.</summary>
    string Needs(Shape x);

    /// <summary>
    /// Its rule, drawing its parameters from <paramref name="init"/>: a <c>HasVjp&lt;Tensor3, Tensor3&gt;</c> on images or a
    /// <c>HasVjp&lt;Vec, Vec&gt;</c> on flat vectors, its parameters named from <paramref name="name"/>.
    /// </summary>
    IVjpNode Rule(Init init, string name);
}

/// <summary>
/// A custom layer in a spec: the type and arguments as the file gave them, and the instance they made. Equal when type and
/// arguments are (two reads of one file give equal specs). The channel validator neither checks nor carries it (in and
/// out channels 0); its own <see cref="ICustomLayer.Next"/> is what checks its input.
/// </summary>
public sealed record CustomLayer(string TypeName, IReadOnlyList<KeyValuePair<string, object>> Args, ICustomLayer Impl) : TrainableLayer
{
    public const string Name = "custom";

    public override string Constructor => Name;
    public override long NParams() => Impl.Tensors().Sum(t => t.Size);
    public override long In() => 0;
    public override long Out() => 0;
    public override ChannelChaining Chaining => ChannelChaining.Carries;

    public override string Compact() =>
        $"{TypeName[(TypeName.LastIndexOf('.') + 1)..]}({string.Join(",", Args.Select(a => $"{a.Key}={SpecText.Value(a.Value)}"))})";

    public override IReadOnlyList<ParamTensor> Tensors() => Impl.Tensors();
    public override Shape? Next(Shape x) => Impl.Next(x);
    public override string Needs(Shape x) => Impl.Needs(x);
    public override string? ArgumentProblem() => null; // its constructor refused bad arguments when the file was read
    public override Shape Opening(long h, long w) => FlatOpening(h, w);
    public override TrainableLayer OpeningOn(long channels) => this;
    public override TrainableLayer? FitTo(Shape x) => null;
    public override double MultiplyAdds(Shape output) => double.NaN;

    /// <summary>The plugin assembly the type came from (full path).</summary>
    public string PluginPath => Impl.GetType().Assembly.Location;

    /// <summary>Its rule on images, or null when it is a rule on vectors; throws when it is neither.</summary>
    public HasVjp<Tensor3, Tensor3>? ImageRule(IVjpNode rule) => rule switch
    {
        HasVjp<Tensor3, Tensor3> image => image,
        HasVjp<Vec, Vec> => null,
        _ => throw new NotSupportedException(
            $"custom layer {TypeName}: Rule returned {rule.GetType().Name}, not a HasVjp<Tensor3, Tensor3> or HasVjp<Vec, Vec>"),
    };

    public bool Equals(CustomLayer? other) =>
        other is not null && TypeName == other.TypeName && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(TypeName, Args.Count);
}
