using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// How an elementwise rule whose f′ is an indicator (ReLU, ReLU6) computes dx = dy ⊙ f′. Both give the same values
/// exactly (dy or 0 per entry); they differ in passes and native calls. Training asks for <see cref="Auto"/>; tests
/// force each member (ARCHITECTURE principle 7), and a test requires a catalog entry for every member.
/// </summary>
public enum ActivationStrategy
{
    /// <summary>What training runs: <see cref="Native"/> on every device for a rule that has a kernel, else <see cref="Mask"/>.</summary>
    Auto,

    /// <summary>Our composition: the bool mask f′(x, y), then dy times it (two passes, two native calls).</summary>
    Mask,

    /// <summary>libtorch's backward kernel for the same indicator (<see cref="NativeKernels"/>): one pass, one call.</summary>
    Native,
}

/// <summary>What <see cref="ActivationStrategy.Auto"/> resolves to, and the strategies' short names.</summary>
public static class ActivationStrategies
{
    /// <summary>
    /// Auto takes the native kernel wherever the rule has one, on every device: one pass where the mask makes two (three
    /// for ReLU6). Measured 2026-12-05 (float32 pullback alone, mask and native alternating in one process, best
    /// samples, twice): ReLU [1, 512] 0.009 vs 0.007 ms (the TorchScript call costs less than the mask's second op),
    /// [128, 512] 0.085 vs 0.018, [32, 32, 28, 28] 0.98–1.01 vs 0.19–0.23; ReLU6 [128, 512] 0.129 vs 0.019,
    /// [8, 32, 112, 112] 7.3–16.4 vs 1.8–1.9.
    /// </summary>
    public static ActivationStrategy Resolve(ActivationStrategy requested, bool hasNative, string rule) => requested switch
    {
        ActivationStrategy.Auto => hasNative ? ActivationStrategy.Native : ActivationStrategy.Mask,
        ActivationStrategy.Native when !hasNative =>
            throw new ArgumentException($"{rule}: strategy native forced, but the rule has no native kernel (only mask applies)"),
        _ => requested,
    };

    public static string Name(ActivationStrategy s) => s.ToString().ToLowerInvariant();
}

/// <summary>
/// JAX's <c>defjvp</c> for elementwise maps: give y = f(x) and the local derivative f′ as a function of (x, y);
/// the pullback is dx = dy ⊙ f′(x, y). Works at every rank. Most activation rules are one line with this.
/// f′ may return a bool mask (ReLU-like rules): the product promotes it to dy's dtype without a float copy.
/// A rule may also give <paramref name="native"/>, a libtorch kernel computing exactly dy ⊙ f′(x, y) from (dy, x, y);
/// <paramref name="strategy"/> picks between the two (<see cref="ActivationStrategy"/>). A forced strategy shows in the
/// label ("relu [mask]"), so reports and mutants tell the forced nodes from the Auto ones.
/// </summary>
public sealed class Elementwise<TA>(string item, string label, Func<Tensor, Tensor> f, Func<Tensor, Tensor, Tensor> derivative,
    Func<Tensor, Tensor, Tensor, Tensor>? native = null, ActivationStrategy strategy = ActivationStrategy.Auto)
    : HasVjp<TA, TA>(item, strategy == ActivationStrategy.Auto ? label : $"{label} [{ActivationStrategies.Name(strategy)}]")
    where TA : IValue<TA>
{
    /// <summary>The function's name without the forced strategy ("relu").</summary>
    public string Function => label;

    /// <summary>The strategy the pullback runs (Auto resolved).</summary>
    public ActivationStrategy Strategy { get; } = ActivationStrategies.Resolve(strategy, native is not null, label);

    protected override (TA y, Pullback<TA, TA> pullback) Run(TA x)
    {
        var y = f(x.T);
        return Strategy == ActivationStrategy.Native
            ? (TA.Wrap(y), dy => TA.Wrap(native!(dy.T, x.T, y)))
            : (TA.Wrap(y), dy => TA.Wrap(dy.T * derivative(x.T, y)));
    }
}
