using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// Elementwise activations, one line each: forward and local derivative f′(x, y). Usable at every rank.
/// Activations without a numbered ledger item of their own (sigmoid, Swish, ReLU6, hard-swish, hard-sigmoid) name
/// item 1 (<c>pdiv</c>: a scalar derivative applied entrywise). GELU comes in two forms (the <c>gelu-forms</c>
/// convention of the ledger), each bound to its own ledger entry: the ledger's erf form (item 61) and the tanh
/// approximation that training runs (binding <c>gelu_tanh_has_vjp</c>).
/// At a kink the derivative is the one-sided value stated on each rule (strict inequalities: 0 at the kink).
/// </summary>
public static class Activations
{
    /// <summary>
    /// max(x, 0) (item 36). Convention: ReLU′(0) = 0, so dy passes only where x &gt; 0 strictly. The native pullback
    /// reads the mask from the output: y = max(x, 0) &gt; 0 exactly where x &gt; 0, so threshold_backward(dy, y, 0)
    /// (dy where y &gt; 0 strictly) is the same indicator, and needs no x.
    /// </summary>
    public static HasVjp<T, T> Relu<T>(KernelStrategy strategy = KernelStrategy.Auto) where T : IValue<T> =>
        new Elementwise<T>(ItemId.relu_has_vjp, "relu", x => x.relu(), (x, _) => x.Gt(0),
            (dy, _, y) => NativeKernels.ThresholdBackward(dy, y, 0), strategy);

    /// <summary>σ(x) = 1/(1+e^−x); σ′ = y(1−y).</summary>
    public static HasVjp<T, T> Sigmoid<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv, "sigmoid", x => x.sigmoid(), (_, y) => y * y.RSub(1));

    /// <summary>Swish x·σ(x); derivative σ(x)·(1 + x·(1 − σ(x))).</summary>
    public static HasVjp<T, T> Swish<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv, "swish", x => x * x.sigmoid(),
            (x, _) =>
            {
                var s = x.sigmoid();
                return s * (x * s.RSub(1)).Add(1);
            });

    /// <summary>
    /// min(max(x, 0), 6); derivative 1 on 0 &lt; x &lt; 6, else 0 (0 at both kinks). Native: hardtanh_backward(dy, x, 0,
    /// 6), dy where 0 &lt; x &lt; 6 strictly: the same indicator.
    /// </summary>
    public static HasVjp<T, T> Relu6<T>(KernelStrategy strategy = KernelStrategy.Auto) where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv, "relu6", x => x.Clamp(0, 6), (x, _) => x.Gt(0) & x.Lt(6),
            (dy, x, _) => NativeKernels.HardtanhBackward(dy, x, 0, 6), strategy);

    /// <summary>Hard-sigmoid ReLU6(x+3)/6; derivative 1/6 on −3 &lt; x &lt; 3, else 0.</summary>
    public static HasVjp<T, T> HardSigmoid<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv, "hard-sigmoid", x => x.Add(3).Clamp(0, 6).Div(6),
            (x, _) => (x.Gt(-3) & x.Lt(3)).to_type(x.dtype).Div(6));

    /// <summary>Hard-swish x·ReLU6(x+3)/6; derivative 0 for x &lt; −3, (2x+3)/6 on (−3, 3), 1 for x &gt; 3 (0 at −3, 1 at
    /// 3).</summary>
    public static HasVjp<T, T> HardSwish<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.pdiv, "hard-swish", x => (x * x.Add(3).Clamp(0, 6)).Div(6),
            (x, _) => where(x.Le(-3), zeros_like(x), where(x.Ge(3), ones_like(x), x.Mul(2).Add(3).Div(6))));

    static readonly double GeluTanhC = Math.Sqrt(2 / Math.PI);
    const double GeluCubic = 0.044715;

    /// <summary>
    /// Training's GELU: ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³); derivative ½(1 + t) + ½x(1 − t²)·√(2/π)(1 +
    /// 3·0.044715x²),
    /// t = tanh(u). Not item 61's function (the erf form): it names its own un-numbered binding <c>gelu_tanh_has_vjp</c>
    /// (proofs-ledger/bindings.yaml), which is checked as this function. <paramref name="strategy"/> picks our
    /// composition of TorchSharp ops or libtorch's own <c>gelu</c>/<c>gelu_backward</c> kernels (what Auto runs).
    /// </summary>
    public static HasVjp<T, T> GeluTanh<T>(KernelStrategy strategy = KernelStrategy.Auto) where T : IValue<T>
    {
        var label = "gelu (tanh form)" + KernelStrategies.Suffix(strategy);
        return KernelStrategies.Resolve(strategy) == KernelStrategy.Native
            ? new GeluTanhNative<T>(label)
            : new Elementwise<T>(ItemId.gelu_tanh_has_vjp, label, GeluTanhValue, GeluTanhDerivative);
    }

    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))), composed of TorchSharp ops.</summary>
    public static Tensor GeluTanhValue(Tensor x) => x.Mul(0.5) * x.Add(x.Pow(3).Mul(GeluCubic)).Mul(GeluTanhC).tanh().Add(1);

    /// <summary>The closed-form GELU-tanh derivative ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).</summary>
    public static Tensor GeluTanhDerivative(Tensor x, Tensor _)
    {
        var t = x.Add(x.Pow(3).Mul(GeluCubic)).Mul(GeluTanhC).tanh();
        return t.Add(1).Mul(0.5).Add((x.Mul(0.5) * t.Square().RSub(1)).Mul(GeluTanhC) * x.Square().Mul(3 * GeluCubic).Add(1));
    }

    /// <summary>
    /// The ledger's GELU: ½x(1 + erf(x/√2)) = xΦ(x) (Defs 57/58); its VJP is item 61 (<c>gelu_has_vjp</c>), its Jacobian
    /// diag(Φ(x) + xφ(x)) item 59, the book's check 25. Not used in training.
    /// </summary>
    public static HasVjp<T, T> GeluErf<T>() where T : IValue<T> =>
        new Elementwise<T>(ItemId.gelu_has_vjp, "gelu (erf form)",
            x => x.Mul(0.5) * x.Div(Math.Sqrt(2)).erf().Add(1),
            (x, _) => x.Div(Math.Sqrt(2)).erf().Add(1).Mul(0.5).Add((x * x.Square().Mul(-0.5).exp()).Div(Math.Sqrt(2 * Math.PI))));

    /// <summary>The activation named by a net spec or block ("relu", "relu6", "swish", "hswish", "identity").</summary>
    public static HasVjp<T, T> ByName<T>(string name) where T : IValue<T> => name switch
    {
        "relu" => Relu<T>(),
        "relu6" => Relu6<T>(),
        "swish" => Swish<T>(),
        "hswish" => HardSwish<T>(),
        "hsigmoid" => HardSigmoid<T>(),
        "sigmoid" => Sigmoid<T>(),
        "identity" => Compose.Identity<T>(),
        _ => throw new ArgumentException($"unknown activation '{name}' (relu, relu6, swish, hswish, hsigmoid, sigmoid, identity)"),
    };
}

/// <summary>The tanh-form GELU on libtorch's kernels (<see cref="KernelStrategy.Native"/>); keeps only x for its pullback.</summary>
public sealed class GeluTanhNative<T>(string label) : HasVjp<T, T>(ItemId.gelu_tanh_has_vjp, label) where T : IValue<T>
{
    protected override (T y, Pullback<T, T> pullback) Run(T x) =>
        (T.Wrap(NativeKernels.GeluTanh(x.T)), dy => T.Wrap(NativeKernels.GeluTanhBackward(dy.T, x.T)));
}
