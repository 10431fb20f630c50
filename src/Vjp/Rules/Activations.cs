using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// Elementwise activations, one line each: forward and local derivative f′(x, y). Usable at every rank.
/// Activations without a numbered ledger item of their own (sigmoid, Swish, ReLU6, hard-swish, hard-sigmoid) name
/// item 1 (<c>pdiv</c>: a scalar derivative applied entrywise); GELU is the transformer engineer's.
/// </summary>
public static class Activations
{
    /// <summary>max(x, 0) (item 36). Convention: ReLU′(0) = 0, so dy passes only where x &gt; 0 strictly.</summary>
    public static HasVjp<TA, TA> Relu<TA>() where TA : IValue<TA> =>
        new Elementwise<TA>(ItemId.relu_has_vjp, "relu", x => x.relu(), (x, _) => x.gt(0).to_type(x.dtype));
}
