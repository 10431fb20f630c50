using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>One checked tensor (an input, a parameter, or the cotangent of a second-order check) and its value at the point.</summary>
internal sealed record Operand(string Name, OperandKind Kind, Tensor Value);

/// <summary>
/// What a check needs of a function, module or rule: the operands at the tested point, the forward at any point (one
/// tensor per operand; the numeric side passes float64 copies) and the analytic backward. Disposing restores any state the
/// check changed (a module's or rule's parameters, dtype and buffers).
/// </summary>
internal abstract class Subject : IDisposable
{
    public abstract string Title { get; }

    public abstract IReadOnlyList<Operand> Operands { get; }

    /// <summary>f at a point, without a graph.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> point);

    /// <summary>Jᵀ·dy at a point: one tensor per operand (zeros for an operand the output does not depend on).</summary>
    public abstract IReadOnlyList<Tensor> Backward(IReadOnlyList<Tensor> point, Tensor dy);

    /// <summary>What output element <paramref name="flat"/> is, where its index alone does not say; null otherwise.</summary>
    public virtual string? OutputLabel(long flat) => null;

    public virtual void Dispose() { }
}

/// <summary>A subject differentiated by libtorch autograd: a backward, forward mode by double backward, and second order.</summary>
internal abstract class AutogradSubject : Subject
{
    /// <summary>The output with its graph, and the leaf tensors standing for the operands (in operand order).</summary>
    public abstract (Tensor y, IReadOnlyList<Tensor> leaves) Trace(IReadOnlyList<Tensor> point);

    public override IReadOnlyList<Tensor> Backward(IReadOnlyList<Tensor> point, Tensor dy)
    {
        using var grad = enable_grad();
        var (y, leaves) = Trace(point);
        return Grad(y, leaves, dy, createGraph: false);
    }

    /// <summary>
    /// J·u by double backward: the backward is linear in its cotangent w, so J·u = ∂⟨Jᵀw, u⟩/∂w. Needs a backward that
    /// autograd can differentiate with respect to its cotangent (every built-in op, and custom functions written in tensor ops).
    /// </summary>
    public Tensor Jvp(IReadOnlyList<Tensor> point, IReadOnlyList<Tensor> u)
    {
        using var grad = enable_grad();
        var (y, leaves) = Trace(point);
        if (!y.requires_grad) return zeros_like(y);
        var w = zeros_like(y).requires_grad_(true);
        var g = Grad(y, leaves, w, createGraph: true);
        Tensor? s = null;
        for (var i = 0; i < g.Count; i++)
        {
            if (!g[i].requires_grad) continue;
            var term = (g[i] * u[i]).sum();
            s = s is null ? term : s.Add(term);
        }
        if (s is null) return zeros_like(y);
        var jv = torch.autograd.grad([s], [w], allow_unused: true)[0];
        return jv is null || jv.IsInvalid ? zeros_like(y) : jv;
    }

    /// <summary>Gradients of ⟨y, dy⟩ with respect to the leaves; zeros for a leaf y does not depend on.</summary>
    public static IReadOnlyList<Tensor> Grad(Tensor y, IReadOnlyList<Tensor> leaves, Tensor dy, bool createGraph)
    {
        if (!y.requires_grad) return [.. leaves.Select(l => zeros_like(l))];
        var grads = torch.autograd.grad([y], [.. leaves], [dy], retain_graph: createGraph, create_graph: createGraph, allow_unused: true);
        return [.. leaves.Select((l, i) => grads[i] is { IsInvalid: false } g ? g : zeros_like(l))];
    }
}

/// <summary>Any TorchSharp function Tensor[] → Tensor: its autograd gradient, custom autograd.Function backwards included.</summary>
internal sealed class FunctionSubject(Func<Tensor[], Tensor> f, IReadOnlyList<Operand> operands, string title) : AutogradSubject
{
    public override string Title => title;

    public override IReadOnlyList<Operand> Operands => operands;

    public override Tensor Forward(IReadOnlyList<Tensor> point)
    {
        using var noGrad = no_grad();
        return f([.. point]);
    }

    public override (Tensor y, IReadOnlyList<Tensor> leaves) Trace(IReadOnlyList<Tensor> point)
    {
        Tensor[] leaves = [.. point.Select(t => t.detach().requires_grad_(true))];
        return (f(leaves), leaves);
    }
}

/// <summary>
/// A module with respect to its input and every parameter that requires a gradient. The check writes parameter values
/// (and converts the module to float64 for the numeric side); disposing restores the dtype, the parameters and the buffers.
/// </summary>
internal sealed class ModuleSubject : AutogradSubject
{
    readonly nn.Module<Tensor, Tensor> module;
    readonly string[] names;
    readonly ScalarType originalDtype;
    readonly List<(string Name, Tensor Value)> savedParameters;
    readonly List<(string Name, Tensor Value)> savedBuffers;

    public ModuleSubject(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        this.module = module;
        var parameters = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        names = [.. parameters.Select(p => p.name)];
        originalDtype = parameters.Count > 0 ? parameters[0].parameter.dtype : input.dtype;
        savedParameters = [.. module.named_parameters().Select(p => (p.name, p.parameter.detach().clone()))];
        savedBuffers = [.. module.named_buffers().Select(b => (b.name, b.buffer.detach().clone()))];
        Operands = [new("input", OperandKind.Input, input.detach().clone()),
            .. parameters.Select(p => new Operand(p.name, OperandKind.Parameter, p.parameter.detach().clone()))];
        Title = $"module {module.GetName()}";
    }

    public override string Title { get; }

    public override IReadOnlyList<Operand> Operands { get; }

    public override Tensor Forward(IReadOnlyList<Tensor> point)
    {
        using var noGrad = no_grad();
        Load(point);
        return module.call(point[0]);
    }

    public override (Tensor y, IReadOnlyList<Tensor> leaves) Trace(IReadOnlyList<Tensor> point)
    {
        var parameters = Load(point);
        var x = point[0].detach().requires_grad_(true);
        return (module.call(x), [x, .. parameters]);
    }

    /// <summary>Writes the point's parameter values into the module (converting it to their dtype first); returns the parameters.</summary>
    IReadOnlyList<Tensor> Load(IReadOnlyList<Tensor> point)
    {
        var dtype = point.Count > 1 ? point[1].dtype : point[0].dtype;
        if (Current().FirstOrDefault() is { } first && first.dtype != dtype) module.to(dtype);
        var parameters = Current();
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++) parameters[i].copy_(point[i + 1]);
        return parameters;
    }

    /// <summary>The checked parameters as the module holds them now (<c>to(dtype)</c> replaces the tensors).</summary>
    List<Tensor> Current()
    {
        var byName = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return [.. names.Select(n => byName[n])];
    }

    public override void Dispose()
    {
        module.to(originalDtype);
        using var noGrad = no_grad();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, value) in savedParameters) parameters[name].copy_(value);
        var buffers = module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, value) in savedBuffers) buffers[name].copy_(value);
    }
}

/// <summary>
/// The second-order subject: g(x…, dy) = the first-order gradients of the inner subject at x with cotangent dy, flattened
/// and concatenated. Its own backward is the double backward; its forward runs a first-order backward (in float64 for the
/// numeric side), so central differences of g check the derivative of the gradient, as PyTorch's gradgradcheck does.
/// </summary>
internal sealed class SecondOrderSubject(AutogradSubject inner, Tensor cotangent) : AutogradSubject
{
    public override string Title => $"second order of {inner.Title}";

    public override IReadOnlyList<Operand> Operands { get; } =
        [.. inner.Operands, new Operand("dy", OperandKind.Cotangent, cotangent)];

    public override Tensor Forward(IReadOnlyList<Tensor> point)
    {
        using var grad = enable_grad();
        return Trace(point).y.detach();
    }

    /// <summary>g is the inner operands' gradients, flattened and concatenated: element flat is one operand's gradient entry.</summary>
    public override string? OutputLabel(long flat)
    {
        foreach (var o in inner.Operands)
        {
            var n = o.Value.numel();
            if (flat < n)
                return $"gradient of {o.Kind.ToString().ToLowerInvariant()} '{o.Name}' "
                    + Comparison.FormatIndex(Differences.Unravel(flat, o.Value.shape));
            flat -= n;
        }
        return null;
    }

    public override (Tensor y, IReadOnlyList<Tensor> leaves) Trace(IReadOnlyList<Tensor> point)
    {
        var k = inner.Operands.Count;
        var (y, leaves) = inner.Trace([.. point.Take(k)]);
        var w = point[k].detach().requires_grad_(true);
        var grads = Grad(y, leaves, w, createGraph: true);
        return (cat([.. grads.Select(g => g.flatten())]), [.. leaves, w]);
    }
}
