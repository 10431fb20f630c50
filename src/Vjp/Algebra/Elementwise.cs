using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// JAX's <c>defjvp</c> for elementwise maps: give y = f(x) and the local derivative f′ as a function of (x, y);
/// the pullback is dx = dy ⊙ f′(x, y). Works at every rank. Most activation rules are one line with this.
/// f′ may return a bool mask (ReLU-like rules): the product promotes it to dy's dtype without a float copy.
/// A rule may also give <paramref name="native"/>, a libtorch kernel computing exactly dy ⊙ f′(x, y) from (dy, x, y);
/// <paramref name="strategy"/> picks between the two (<see cref="KernelStrategy"/>). A forced strategy shows in the
/// label ("relu [composed]"), so reports and mutants tell the forced nodes from the Auto ones.
/// </summary>
public sealed class Elementwise<TA>(string item, string label, Func<Tensor, Tensor> f, Func<Tensor, Tensor, Tensor> derivative,
    Func<Tensor, Tensor, Tensor, Tensor>? native = null, KernelStrategy strategy = KernelStrategy.Auto)
    : HasVjp<TA, TA>(item, label + KernelStrategies.Suffix(strategy))
    where TA : IValue<TA>
{
    /// <summary>The function's name without the forced strategy ("relu").</summary>
    public string Function => label;

    /// <summary>The strategy the pullback runs (Auto resolved).</summary>
    public KernelStrategy Strategy { get; } = KernelStrategies.Resolve(strategy, native is not null, label);

    protected override (TA y, Pullback<TA, TA> pullback) Run(TA x)
    {
        var y = f(x.T);
        return Strategy == KernelStrategy.Native
            ? (TA.Wrap(y), dy => TA.Wrap(native!(dy.T, x.T, y)))
            : (TA.Wrap(y), dy => TA.Wrap(dy.T * derivative(x.T, y)));
    }
}
