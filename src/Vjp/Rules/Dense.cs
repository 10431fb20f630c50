using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Rules;

/// <summary>
/// y = x·W + b with W stored [fanIn, fanOut] as the book does (item 33). Pullback: dx = dy·Wᵀ;
/// dW = xᵀ·dy, the batch sum of outer products x ⊗ dy (item 34); db = Σ_batch dy (item 35).
/// </summary>
public sealed class Dense : HasVjp<Vec, Vec>
{
    public Dense(Tensor w, Tensor b, string name = "dense")
        : base(ItemId.dense_has_vjp, $"{name} {w.shape[0]}→{w.shape[1]}")
    {
        Shapes.Require(b, [w.shape[1]], Culprit, "bias");
        W = Own(new Parameter($"{name}.W", ItemId.dense_weight_grad_correct, w));
        B = Own(new Parameter($"{name}.b", ItemId.dense_bias_grad_correct, b));
        input = [-1, w.shape[0]];
    }

    // [*, fanIn], made once: the check runs every step.
    readonly long[] input;

    /// <summary>He-initialised weight, zero bias.</summary>
    public Dense(long fanIn, long fanOut, Init init, string name = "dense")
        : this(init.He([fanIn, fanOut], fanIn), init.Zeros(fanOut), name) { }

    public Parameter W { get; }
    public Parameter B { get; }

    // y is addmm's new tensor; the pullback reads x and W.
    public override bool FreshOutput => true;

    protected override void CheckInput(Vec x) => Shapes.Require(x.T, input, Culprit, "x");

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) => Run(x, inputCotangent: true);

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x, bool inputCotangent) =>
        (new Vec(addmm(B.Value, x.T, W.Value, 1, 1)), dy =>
        {
            W.AccumulateProduct(x.T.t(), dy.T, Culprit);
            B.Accumulate(dy.T.sum(0L), Culprit);
            // linear(dy, W) is dy·Wᵀ in one native call (matmul with W.t() costs a second handle for the transposed view).
            return inputCotangent ? new Vec(nn.functional.linear(dy.T, W.Value)) : default;
        });
}
