using System.Reflection;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// A deliberate defect in the pullbacks of one kind of node, for mutation checks only (the mutant catalog,
/// <c>src/Vjp/Checking/Mutants</c>). A fault is active only inside <see cref="Within{T}"/>, on the calling flow
/// (<see cref="AsyncLocal{T}"/>: a thread or task not started from inside never sees it), and the previous state is
/// restored on the way out, so nothing can leave one on; training never calls <see cref="Within{T}"/>.
/// <see cref="HasVjp{TIn,TOut}.Forward(TIn, bool)"/> asks the active fault, if any, to wrap each pullback it hands out; the
/// rules themselves carry no fault code.
/// </summary>
internal abstract class Fault
{
    static readonly AsyncLocal<Fault?> current = new();

    /// <summary>The fault active on this flow, or null (always null outside <see cref="Within{T}"/>).</summary>
    internal static Fault? Current => current.Value;

    /// <summary>Runs <paramref name="run"/> with <paramref name="fault"/> active (null: none), then restores the previous one.</summary>
    internal static T Within<T>(Fault? fault, Func<T> run)
    {
        var saved = current.Value;
        current.Value = fault;
        try
        {
            return run();
        }
        finally
        {
            current.Value = saved;
        }
    }

    /// <summary>Whether this fault alters the pullbacks of <paramref name="node"/>.</summary>
    internal abstract bool Matches(IVjpNode node);

    /// <summary>
    /// The faulty dx (null: the correct one stands), computed from the pieces of the correct pullback in
    /// <paramref name="site"/>; it may also change the node's parameter cotangents through the site.
    /// </summary>
    internal abstract Tensor? Alter(FaultSite site);

    internal Pullback<TIn, TOut> Wrap<TIn, TOut>(HasVjp<TIn, TOut> node, TIn x, TOut y, Pullback<TIn, TOut> pullback, bool inputCotangent)
        where TIn : IValue<TIn> where TOut : IValue<TOut>
    {
        if (!Matches(node)) return pullback;
        return dy =>
        {
            var parameters = node.Parameters.ToList();
            var before = parameters.Select(p => p.Grad.clone()).ToList();
            var dx = pullback(dy);
            var altered = Alter(new FaultSite(node, x.T, y.T, dy.T, inputCotangent ? dx.T : null, parameters, before));
            return inputCotangent && altered is not null ? TIn.Wrap(altered) : dx;
        };
    }
}

/// <summary>
/// What a fault sees at one pullback: the node, its input x, output y, the cotangent dy, the correct dx (null when the
/// input is data and no dx is asked for), and each parameter's cotangent increment, which it may replace.
/// </summary>
internal sealed class FaultSite(IVjpNode node, Tensor x, Tensor y, Tensor dy, Tensor? dx, IReadOnlyList<Parameter> parameters,
    IReadOnlyList<Tensor> before)
{
    static readonly MethodInfo Runner = typeof(FaultSite).GetMethod(nameof(RunTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    public IVjpNode Node => node;
    public Tensor X => x;
    public Tensor Y => y;
    public Tensor Dy => dy;

    /// <summary>The correct dx; faults that alter dx return null when there is none (the input is data).</summary>
    public Tensor? Dx => dx;

    /// <summary>This pullback's contribution to <paramref name="p"/>'s gradient.</summary>
    public Tensor Increment(Parameter p) => p.Grad - before[Index(p)];

    /// <summary>Replaces this pullback's contribution to <paramref name="p"/>'s gradient.</summary>
    public void SetIncrement(Parameter p, Tensor increment) => p.Grad.copy_(before[Index(p)].Add(increment));

    public void ScaleIncrement(Parameter p, double factor) => SetIncrement(p, Increment(p).Mul(factor));

    /// <summary>The node's parameters whose names end with <paramref name="suffix"/> (".W", ".b", ".γ", ".β").</summary>
    public IEnumerable<Parameter> Named(string suffix) => parameters.Where(p => p.Name.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>
    /// Runs <paramref name="rule"/> (a child of the node, or the node itself) on <paramref name="input"/> with no fault and
    /// returns y and a pullback that gives dx and leaves every parameter gradient as it was.
    /// </summary>
    public (Tensor Y, Func<Tensor, Tensor> Pullback) Run(IVjpNode rule, Tensor input)
    {
        var (output, pullback) = RunRaw(rule, input);
        return (output, cotangent =>
        {
            var saved = rule.Parameters.Select(p => p.Grad.clone()).ToList();
            try
            {
                return pullback(cotangent);
            }
            finally
            {
                foreach (var (p, grad) in rule.Parameters.Zip(saved)) p.Grad.copy_(grad);
            }
        });
    }

    /// <summary>
    /// The parameter cotangents (in <paramref name="rule"/>'s parameter order) of one fault-free pullback of
    /// <paramref name="rule"/> at <paramref name="input"/> and <paramref name="cotangent"/>; every gradient is left as it was.
    /// </summary>
    public IReadOnlyList<Tensor> Increments(IVjpNode rule, Tensor input, Tensor cotangent)
    {
        var saved = rule.Parameters.Select(p => p.Grad.clone()).ToList();
        try
        {
            RunRaw(rule, input).Pullback(cotangent);
            return [.. rule.Parameters.Select((p, i) => p.Grad - saved[i])];
        }
        finally
        {
            foreach (var (p, grad) in rule.Parameters.Zip(saved)) p.Grad.copy_(grad);
        }
    }

    /// <summary>The rule's forward and pullback with no fault active in either (gradients accumulate as usual).</summary>
    static (Tensor Y, Func<Tensor, Tensor> Pullback) RunRaw(IVjpNode rule, Tensor input)
    {
        var type = rule.GetType();
        while (!(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(HasVjp<,>))) type = type.BaseType!;
        var typed = Runner.MakeGenericMethod(type.GetGenericArguments());
        var (output, pullback) = Fault.Within(null, () => ((Tensor, Func<Tensor, Tensor>))typed.Invoke(null, [rule, input])!);
        return (output, cotangent => Fault.Within(null, () => pullback(cotangent)));
    }

    /// <summary>Child <paramref name="index"/> of the node, run on <paramref name="input"/> (see <see cref="Run"/>).</summary>
    public (Tensor Y, Func<Tensor, Tensor> Pullback) Child(int index, Tensor input) => Run(node.Children[index], input);

    static (Tensor, Func<Tensor, Tensor>) RunTyped<TA, TB>(HasVjp<TA, TB> rule, Tensor input)
        where TA : IValue<TA> where TB : IValue<TB>
    {
        var (output, pullback) = rule.Forward(TA.Wrap(input));
        return (output.T, cotangent => pullback(TB.Wrap(cotangent)).T);
    }

    int Index(Parameter p)
    {
        for (var i = 0; i < parameters.Count; i++)
            if (ReferenceEquals(parameters[i], p)) return i;
        throw new ArgumentException($"{node.Label}: {p.Name} is not one of its parameters");
    }
}
