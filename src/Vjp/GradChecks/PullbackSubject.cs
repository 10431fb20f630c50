using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// A rule of the algebra, ranks erased: its forward x ↦ y and its pullback (x, dy) ↦ dx, which also adds the parameter
/// cotangents into <see cref="Parameter.Grad"/>. The analytic side is the pullback's dx and those cotangents. The check
/// writes parameter values and gradients (and moves them to float64 for the numeric side); disposing restores both.
/// </summary>
internal sealed class PullbackSubject : Subject
{
    readonly Func<Tensor, Tensor> forward;
    readonly Func<Tensor, Tensor, Tensor> pullback;
    readonly Parameter[] parameters;
    readonly (ScalarType Dtype, Device Device, Tensor Value, Tensor Grad)[] saved;

    public PullbackSubject(string title, Tensor x, Func<Tensor, Tensor> forward, Func<Tensor, Tensor, Tensor> pullback,
        IEnumerable<Parameter> parameters)
    {
        Title = title;
        this.forward = forward;
        this.pullback = pullback;
        // A parameter shared by two paths appears once: its cotangent is the sum the pullback accumulates.
        this.parameters = [.. parameters.Distinct()];
        saved = [.. this.parameters.Select(p => (p.Value.dtype, p.Value.device, p.Value.detach().clone(), p.Grad.detach().clone()))];
        var values = this.parameters.Select(p => p.Value.detach().clone()).ToList();
        Operands = [new("x", OperandKind.Input, x.detach().clone()),
            .. UniqueNames(this.parameters).Select((name, i) => new Operand(name, OperandKind.Parameter, values[i]))];
    }

    public override string Title { get; }

    public override IReadOnlyList<Operand> Operands { get; }

    public override Tensor Forward(IReadOnlyList<Tensor> point)
    {
        Load(point);
        return forward(point[0]);
    }

    public override IReadOnlyList<Tensor> Backward(IReadOnlyList<Tensor> point, Tensor dy)
    {
        Load(point);
        foreach (var p in parameters) p.ZeroGrad();
        var dx = pullback(point[0], dy);
        return [dx, .. parameters.Select(p => p.Grad.clone())];
    }

    /// <summary>Parameter names, made unique where two rules use the same one (two "dense.W" become "dense.W", "dense.W#2").</summary>
    static IEnumerable<string> UniqueNames(Parameter[] parameters)
    {
        var seen = new Dictionary<string, int>();
        foreach (var p in parameters)
        {
            var n = seen[p.Name] = seen.GetValueOrDefault(p.Name) + 1;
            yield return n == 1 ? p.Name : $"{p.Name}#{n}";
        }
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
