using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>
/// Dense whose bias cotangent averages over the batch instead of summing (right at batch 1, wrong above): the hand-written
/// mutant that the GradCheck rule tests and the mutation tests both must see fail. W and b are parameters, so the
/// cotangent checks compare both.
/// </summary>
sealed class DenseBiasMeanMutant : HasVjp<Vec, Vec>
{
    readonly Parameter w, b;

    public DenseBiasMeanMutant(Tensor w, Tensor b) : base("dense_has_vjp", "dense (mutant: db = mean dy)")
    {
        this.w = Own(new Parameter("W", "dense_weight_grad_correct", w));
        this.b = Own(new Parameter("b", "dense_bias_grad_correct", b));
    }

    protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) =>
        (new Vec(addmm(b.Value, x.T, w.Value, 1, 1)), dy =>
        {
            w.Accumulate(matmul(x.T.t(), dy.T), Culprit);
            b.Accumulate(dy.T.mean([0L]), Culprit);
            return new Vec(matmul(dy.T, w.Value.t()));
        });
}
