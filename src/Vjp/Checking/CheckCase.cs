using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
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
    public required ItemTree Derivation { get; init; }

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
    /// The pullback's Jacobian (row o = pullback of the o-th basis cotangent) against the FD Jacobian, by
    /// <see cref="GradCheck.Rule(CheckCase, GradCheckOptions?, bool)"/> in full mode under the book's policy
    /// (<see cref="BookPolicy"/>). Only for small outputs.
    /// </summary>
    public static CheckResult Jacobian(CheckCase c, string? check = null, string? item = null)
    {
        var r = GradCheck.Rule(c, BookPolicy(relative: false) with { Mode = GradCheckMode.Full }, parameters: false);
        return Row(item ?? c.Item, check ?? c.Rule, c.Sizes, r.Comparisons, relative: false);
    }

    /// <summary>
    /// dx (and every parameter cotangent) for the cotangent dy against the FD gradient of ⟨f, dy⟩, element by element, by
    /// <see cref="GradCheck.Rule(CheckCase, GradCheckOptions?, bool)"/> in <see cref="GradCheckMode.Cotangent"/> mode; one
    /// row per input. <paramref name="relative"/>: the bound is 1e-7 + 1e-7·|FD| (scaled by the size of the terms of
    /// ⟨f, dy⟩ where they cancel) instead of 1e-7, and the row's error is |Δ| / max(1, |FD|).
    /// </summary>
    public static IReadOnlyList<CheckResult> Cotangent(CheckCase c, Tensor dy, string? check = null, bool parameters = true,
        bool relative = false)
    {
        var r = GradCheck.Rule(c, BookPolicy(relative) with { Mode = GradCheckMode.Cotangent(dy) }, parameters);
        var rows = new List<CheckResult>
        {
            Row(c.Item, check ?? c.Rule, c.Sizes, r.Comparisons.Where(x => x.OperandKind == OperandKind.Input), relative),
        };
        if (!parameters) return rows;
        // Operands after x are the distinct parameters in order (GradCheck makes repeated names unique).
        var byOperand = r.Comparisons.Where(x => x.OperandKind == OperandKind.Parameter).GroupBy(x => x.Operand).ToList();
        var distinct = c.Parameters.Distinct().ToList();
        if (byOperand.Count != distinct.Count)
            throw new InvalidOperationException($"{c.Rule}: {distinct.Count} parameters but {byOperand.Count} were compared");
        for (var i = 0; i < distinct.Count; i++)
            rows.Add(Row(distinct[i].Item, $"{check ?? c.Rule} ∂{distinct[i].Name}", c.Sizes, byOperand[i], relative));
        return rows;
    }

    /// <summary>
    /// The book's FD policy as GradCheck options: step 1e-5 (times max(1, |x|)), error bound 1e-7 (absolute, or with
    /// <paramref name="relative"/> also 1e-7 relative, with Richardson where a comparison misses), one backward run.
    /// </summary>
    public static GradCheckOptions BookPolicy(bool relative) => new()
    {
        Step = FiniteDifference.Step,
        Atol = FiniteDifference.Tolerance,
        Rtol = relative ? FiniteDifference.Tolerance : 0,
        // Relative mode checks random shapes and points (property, configurations): where a comparison misses, Richardson
        // extrapolation tells truncation error from a wrong gradient (a 1.4e-7 miss of a bottleneck's dW at h = 1e-5 was
        // truncation). The book's absolute checks keep its one step.
        Adaptive = relative,
        NonDeterminismRuns = 1,
    };

    /// <summary>
    /// One report row from GradCheck comparisons: the worst error (absolute, or over max(1, |FD|)), passed when every
    /// comparison is within its bound, and the worst failure's GradCheck line as the detail.
    /// </summary>
    internal static CheckResult Row(string item, string check, string sizes, IEnumerable<Comparison> comparisons, bool relative)
    {
        var list = comparisons.ToList();
        var worst = Agreement.WorstFailure(list);
        var error = list.Count == 0 ? 0
            : list.Any(x => !double.IsFinite(x.Analytic) || !double.IsFinite(x.Numeric)) ? double.NaN
            : list.Max(x => relative ? x.AbsoluteError / Math.Max(1, Math.Abs(x.Numeric)) : x.AbsoluteError);
        return new(item, check, sizes, error, worst is null, worst?.Describe() ?? "");
    }

    /// <summary>
    /// The dot-product test for sizes where a Jacobian is out of reach: for a direction v in x (and, when
    /// <paramref name="init"/> is given, a random direction in every parameter), J·v by one central directional
    /// difference with step <paramref name="step"/>, and |⟨dy, J·v⟩ − ⟨Jᵀ·dy, v⟩| / max(|⟨dy, J·v⟩|, |⟨Jᵀ·dy,
    /// v⟩|).
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
            for (var i = 0; i < directions.Count; i++) directions[i].p.Value.copy_(saved[i].Add(directions[i].dir.Mul(sign * step)));
            try
            {
                return FiniteDifference.Values(c.Forward(c.X.Add(v.Mul(sign * step))));
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
        // One projection judged by the shared rule: |⟨Jᵀ·dy, v⟩ − ⟨dy, J·v⟩| ≤ tolerance·max of the two (relative ≤
        // tolerance).
        var operand = directions.Count == 0 ? "x" : "x and every parameter";
        var comparison = Agreement.Judge(CheckKind.Vjp, operand, OperandKind.Input, [], null, 1, right, left,
            tolerance * Math.Max(Math.Abs(left), Math.Abs(right)), 0, tolerance, step, "central FD along v, ⟨dy, J·v⟩");
        var values = $"<dy,Jv>={left:G12} <J'dy,v>={right:G12}";
        var error = double.IsFinite(left) && double.IsFinite(right) ? relative : double.NaN;
        var detail = comparison.Passed ? values : comparison.Describe();
        return new(c.Item, check ?? $"{c.Rule} adjoint", c.Sizes, error, comparison.Passed, detail);
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
