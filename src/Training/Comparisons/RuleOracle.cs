using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>
/// The twin forward of a rule: input x and the rule's parameters (same order and shapes as
/// <see cref="IVjpNode.Parameters"/>), both autograd leaves, to y.
/// </summary>
public delegate Tensor TwinForward(Tensor x, IReadOnlyList<Tensor> parameters);

/// <summary>Every comparison of one oracle run: the forward output first ("y"), then dx, then each parameter.</summary>
public sealed record OracleResult(string Rule, IReadOnlyList<TensorComparison> Comparisons)
{
    /// <summary>The gradient comparisons (dx and parameter cotangents), without the forward.</summary>
    public IReadOnlyList<TensorComparison> Gradients => Comparisons.Skip(1).ToList();

    public TensorComparison Get(string name) =>
        Comparisons.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException(
            $"{Rule}: no compared tensor named '{name}' (have {string.Join(", ", Comparisons.Select(c => c.Name))})");

    /// <summary>
    /// Throws naming each tensor (forward included) over <paramref name="relativeBound"/>; returns the worst gradient error.
    /// </summary>
    public double Require(double relativeBound)
    {
        GradientComparison.RequireWithin(Comparisons, relativeBound, Rule);
        return Gradients.Count == 0 ? 0 : Gradients.Max(c => c.MaxRel);
    }

    /// <summary>
    /// Like <see cref="Require"/>, but each error is measured against the largest reference entry over all of the
    /// case's gradients (max|a − b| / max over the case of max|b|). For compositions where a gradient is analytically
    /// zero — BN γ feeding a later BN that removes its scale — and both sides return rounding noise of the summed terms.
    /// </summary>
    public double RequireCaseRelative(double relativeBound)
    {
        var scale = GradientComparison.CaseScale(Comparisons);
        var rescaled = Comparisons.Select(c => c.Against(scale)).ToList();
        GradientComparison.RequireWithin(rescaled, relativeBound, $"{Rule} (relative to the case's largest entry {scale:E2})");
        return rescaled.Skip(1).DefaultIfEmpty(rescaled[0]).Max(c => c.MaxRel);
    }

    public override string ToString() => $"{Rule}\n  " + string.Join("\n  ", Comparisons);
}

/// <summary>
/// Per-rule autograd oracle. At the given input and the rule's current parameter values it draws a random cotangent
/// dy (standard normal, seeded), runs the hand-derived pullback (dx and each <see cref="Parameter.Grad"/>), and
/// computes torch.autograd.grad of ⟨twin(x, θ), dy⟩ with respect to x and θ. Both sides see the same x, θ and dy.
/// </summary>
public static class RuleOracle
{
    public static OracleResult Compare<TIn, TOut>(HasVjp<TIn, TOut> rule, TwinForward twin, TIn x, int seed = 1, Tensor? dy = null)
        where TIn : IValue<TIn> where TOut : IValue<TOut>
    {
        using var scope = NewDisposeScope();
        var parameters = rule.Parameters.ToList();
        foreach (var p in parameters) p.ZeroGrad();

        var (y, pullback) = rule.Forward(x);
        var cotangent = dy ?? Cotangent(y.T.shape, seed, y.T.dtype, y.T.device);
        var dx = pullback(TOut.Wrap(cotangent));

        var xLeaf = x.T.detach().clone().requires_grad_(true);
        var leaves = parameters.Select(p => p.Value.detach().clone().requires_grad_(true)).ToList();
        Tensor yTwin;
        using (enable_grad()) yTwin = twin(xLeaf, leaves);
        if (!yTwin.shape.SequenceEqual(y.T.shape))
            throw new ArgumentException(
                $"{rule.Culprit}: twin forward gives [{string.Join(",", yTwin.shape)}] but the rule gives [{string.Join(",", y.T.shape)}]");
        // allow_unused: a twin that ignores a parameter (a wrong twin) must fail the comparison, not abort the process in
        // libtorch's C++ check; autograd's gradient of an unused leaf is zero.
        var grads = torch.autograd.grad([yTwin], [xLeaf, .. leaves], [cotangent], allow_unused: true)
            .Select((g, i) => g is null || g.IsInvalid ? zeros_like(i == 0 ? xLeaf : leaves[i - 1]).detach() : g).ToList();

        var comparisons = new List<TensorComparison>
        {
            GradientComparison.Compare("y", y.T, yTwin),
            GradientComparison.Compare("dx", dx.T, grads[0]),
        };
        comparisons.AddRange(parameters.Select((p, i) => GradientComparison.Compare($"d{p.Name}", p.Grad, grads[i + 1])));
        return new OracleResult(rule.Culprit, comparisons);
    }

    /// <summary>A standard normal cotangent, reproducible from <paramref name="seed"/> on any device.</summary>
    public static Tensor Cotangent(long[] shape, int seed, ScalarType dtype, Device device)
    {
        using var generator = new Generator((ulong)seed);
        return randn(shape, ScalarType.Float64, generator: generator).to(dtype, device);
    }
}
