using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// A rule of the algebra (<c>HasVjp</c> at any ranks) with respect to its input x and every parameter: the analytic side
/// is the rule's own pullback (dx, and the cotangents it adds into <see cref="Parameter.Grad"/>). The check writes
/// parameter values and gradients (and moves them to float64 for the numeric side); disposing restores both.
/// </summary>
internal sealed class RuleSubject<TIn, TOut> : Subject
    where TIn : IValue<TIn>
    where TOut : IValue<TOut>
{
    readonly HasVjp<TIn, TOut> rule;
    readonly Parameter[] parameters;
    readonly (ScalarType Dtype, Device Device, Tensor Value, Tensor Grad)[] saved;

    public RuleSubject(HasVjp<TIn, TOut> rule, TIn x)
    {
        this.rule = rule;
        // A parameter shared by two paths appears once: its cotangent is the sum the pullback accumulates.
        parameters = [.. rule.Parameters.Distinct()];
        saved = [.. parameters.Select(p => (p.Value.dtype, p.Value.device, p.Value.detach().clone(), p.Grad.detach().clone()))];
        Operands = [new("x", OperandKind.Input, x.T.detach().clone()),
            .. parameters.Select(p => new Operand(p.Name, OperandKind.Parameter, p.Value.detach().clone()))];
    }

    public override string Title => $"rule {rule.Culprit}";

    public override IReadOnlyList<Operand> Operands { get; }

    public override Tensor Forward(IReadOnlyList<Tensor> point)
    {
        Load(point);
        return rule.Apply(TIn.Wrap(point[0])).T;
    }

    public override IReadOnlyList<Tensor> Backward(IReadOnlyList<Tensor> point, Tensor dy)
    {
        Load(point);
        foreach (var p in parameters) p.ZeroGrad();
        var (_, pullback) = rule.Forward(TIn.Wrap(point[0]));
        var dx = pullback(TOut.Wrap(dy)).T;
        return [dx, .. parameters.Select(p => p.Grad.clone())];
    }

    void Load(IReadOnlyList<Tensor> point)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            var value = point[i + 1];
            if (parameters[i].Value.dtype != value.dtype) parameters[i].To(value.dtype, value.device);
            parameters[i].Value.copy_(value);
        }
    }

    public override void Dispose()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            var (dtype, device, value, grad) = saved[i];
            parameters[i].To(dtype, device);
            parameters[i].Value.copy_(value);
            parameters[i].Grad.copy_(grad);
        }
    }
}
