using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// JAX's <c>defjvp</c> for elementwise maps: give y = f(x) and the local derivative f′ as a function of (x, y);
/// the pullback is dx = dy ⊙ f′(x, y). Works at every rank. Most activation rules are one line with this.
/// f′ may return a bool mask (ReLU-like rules): the product promotes it to dy's dtype without a float copy.
/// </summary>
public sealed class Elementwise<TA>(string item, string label, Func<Tensor, Tensor> f, Func<Tensor, Tensor, Tensor> derivative)
    : HasVjp<TA, TA>(item, label)
    where TA : IValue<TA>
{
    protected override (TA y, Pullback<TA, TA> pullback) Run(TA x)
    {
        var y = f(x.T);
        return (TA.Wrap(y), dy => TA.Wrap(dy.T * derivative(x.T, y)));
    }
}
