using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>
/// A rule instance at a point, with the ranks erased so one harness checks every rule: forward x ↦ y, the
/// pullback (x, dy) ↦ dx (which also fills the parameters' gradients) and the parameters.
/// </summary>
public sealed class CheckCase
{
    public required string Rule { get; init; }
    public required string Item { get; init; }
    public required string Sizes { get; init; }
    public required Tensor X { get; init; }
    public required Func<Tensor, Tensor> Forward { get; init; }
    public required Func<Tensor, Tensor, Tensor> Pullback { get; init; }
    public required IReadOnlyList<Parameter> Parameters { get; init; }

    /// <summary>
    /// The pullback of a forward told its input is data (<c>Forward(x, inputCotangent: false)</c>): fills the
    /// parameters' gradients; returns whether it handed back no dx, as it must.
    /// </summary>
    public required Func<Tensor, Tensor, bool> ParameterPullback { get; init; }

    /// <summary>The ledger items the checked rule rests on (its <c>Describe()</c>).</summary>
    public required Derivation Derivation { get; init; }

    /// <summary>The checked rule itself (its tree of nodes: what a mutant can reach).</summary>
    public required IVjpNode Root { get; init; }

    /// <summary>The case for a typed rule at x; <paramref name="sizes"/> is printed in reports.</summary>
    public static CheckCase Of<TA, TB>(HasVjp<TA, TB> rule, Tensor x, string? sizes = null, string? name = null)
        where TA : IValue<TA> where TB : IValue<TB> => new()
        {
            Rule = name ?? rule.Label,
            Item = rule.Item,
            Sizes = sizes ?? $"x{Shapes.Format(x)}",
            X = x,
            Forward = t => rule.Forward(TA.Wrap(t)).y.T,
            Pullback = (t, dy) => rule.Forward(TA.Wrap(t)).pullback(TB.Wrap(dy)).T,
            ParameterPullback = (t, dy) => rule.Forward(TA.Wrap(t), inputCotangent: false).pullback(TB.Wrap(dy)).T is null,
            Parameters = [.. rule.Parameters],
            Derivation = rule.Describe(),
            Root = rule,
        };
}

/// <summary>The three ways a case is checked: full Jacobian, VJP against a random cotangent, and the adjoint identity.</summary>
public static class VjpCheck
{
    /// <summary>
    /// Builds the Jacobian from the pullback (row o = pullback of the o-th basis cotangent) and compares it with
    /// the FD Jacobian. Only for small outputs.
    /// </summary>
    public static CheckResult Jacobian(CheckCase c, string? check = null, string? item = null)
    {
        using var scope = NewDisposeScope();
        var fd = FiniteDifference.Jacobian(c.Forward, c.X);
        var y = c.Forward(c.X);
        var outputs = y.numel();
        var claimed = new List<double>();
        for (var o = 0; o < outputs; o++)
        {
            using var inner = NewDisposeScope();
            using var one = 1.0.ToScalar();
            var basis = zeros_like(y).view(-1).index_fill_(0, tensor(new long[] { o }), one).view(y.shape);
            claimed.AddRange(FiniteDifference.Values(c.Pullback(c.X, basis)));
        }
        return FiniteDifference.Compare(item ?? c.Item, check ?? c.Rule, c.Sizes, [.. claimed], FiniteDifference.Flatten(fd));
    }

    /// <summary>
    /// dx (and every parameter cotangent) against the FD gradient of ⟨f, dy⟩; one row per input. <paramref name="relative"/>
    /// scales errors by max(1, |FD|) (see <see cref="FiniteDifference.Compare"/>).
    /// </summary>
    public static IReadOnlyList<CheckResult> Cotangent(CheckCase c, Tensor dy, string? check = null, bool parameters = true,
        bool relative = false)
    {
        using var scope = NewDisposeScope();
        foreach (var p in c.Parameters) p.ZeroGrad();
        var dx = FiniteDifference.Values(c.Pullback(c.X, dy));
        var rows = new List<CheckResult>
        {
            FiniteDifference.Compare(c.Item, check ?? c.Rule, c.Sizes, dx, FiniteDifference.Vjp(c.Forward, c.X, dy), relative: relative),
        };
        if (!parameters) return rows;
        foreach (var p in c.Parameters)
            rows.Add(FiniteDifference.Compare(p.Item, $"{check ?? c.Rule} ∂{p.Name}", c.Sizes,
                FiniteDifference.Values(p.Grad), FiniteDifference.Vjp(WithParameter(c, p), p.Value, dy), relative: relative));
        return rows;
    }

    /// <summary>
    /// The dot-product test for sizes where a Jacobian is out of reach: for a direction v in x (and, when
    /// <paramref name="withParameters"/>, a random direction in every parameter), J·v by one central directional
    /// difference with step <paramref name="step"/>, and |⟨dy, J·v⟩ − ⟨Jᵀ·dy, v⟩| / max(|⟨dy, J·v⟩|, |⟨Jᵀ·dy, v⟩|).
    /// Parameter directions are drawn from <paramref name="init"/>.
    /// </summary>
    public static CheckResult Adjoint(CheckCase c, Tensor v, Tensor dy, double tolerance = 1e-7, string? check = null,
        Init? init = null, double step = FiniteDifference.Step)
    {
        using var scope = NewDisposeScope();
        var directions = init is null
            ? []
            : c.Parameters.Select(p => (p, dir: init.Normal(p.Value.shape).to(p.Value.dtype, p.Value.device))).ToList();
        var saved = directions.Select(d => d.p.Value.clone()).ToList();
        double[] Shifted(double sign)
        {
            for (var i = 0; i < directions.Count; i++) directions[i].p.Value.copy_(saved[i] + directions[i].dir.Mul(sign * step));
            try
            {
                return FiniteDifference.Values(c.Forward(c.X + v.Mul(sign * step)));
            }
            finally
            {
                for (var i = 0; i < directions.Count; i++) directions[i].p.Value.copy_(saved[i]);
            }
        }
        var plus = Shifted(1);
        var minus = Shifted(-1);
        var left = FiniteDifference.Dot(FiniteDifference.Values(dy), [.. plus.Zip(minus, (p, m) => (p - m) / (2 * step))]);
        foreach (var p in c.Parameters) p.ZeroGrad();
        var right = FiniteDifference.Dot(FiniteDifference.Values(c.Pullback(c.X, dy)), FiniteDifference.Values(v))
            + directions.Sum(d => FiniteDifference.Dot(FiniteDifference.Values(d.p.Grad), FiniteDifference.Values(d.dir)));
        var relative = Math.Abs(left - right) / Math.Max(Math.Max(Math.Abs(left), Math.Abs(right)), double.Epsilon);
        var finite = double.IsFinite(left) && double.IsFinite(right);
        return new(c.Item, check ?? $"{c.Rule} adjoint", c.Sizes, finite ? relative : double.NaN,
            finite && relative <= tolerance, finite ? $"<dy,Jv>={left:G12} <J'dy,v>={right:G12}" : "non-finite inner product");
    }

    /// <summary>The forward as a function of one parameter (x fixed); the parameter is restored afterwards.</summary>
    public static Func<Tensor, Tensor> WithParameter(CheckCase c, Parameter p) => value =>
    {
        var saved = p.Value.clone();
        try
        {
            p.Value.copy_(value);
            return c.Forward(c.X);
        }
        finally
        {
            p.Value.copy_(saved);
        }
    };
}
