using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

internal sealed partial class Checker
{
    /// <summary>
    /// Fast mode, the dot-product test. For each direction k: a seeded cotangent v and one backward g = Jᵀv; then for each
    /// operand p separately (so a wrong gradient of one input of several is named), a seeded direction u over p's
    /// elements (scaled by max(1, |x|), zero at elements within the step of a declared kink) and
    /// ⟨g_p, u⟩ against ⟨v, f(x + h·u) − f(x − h·u)⟩ / 2h. The bound is atol·‖v‖·‖u‖ + rtol·max(|n|, ‖g_p ⊙
    /// u‖): the size
    /// of the rounding a dot product of these terms can carry, not the (possibly cancelled) value. A failing projection is
    /// localised element by element against ∂⟨v, f⟩/∂x by central differences, which names the element.
    /// </summary>
    void Fast(int directions)
    {
        var localised = new bool[point.Length];
        var kinkElements = new List<(int p, int e, Kink k)>();
        for (var k = 1; k <= directions; k++)
        {
            var v = Gaussians(Outputs, Dtype);
            var g = Backward(v);
            for (var p = 0; p < point.Length; p++)
            {
                var u = Gaussians(diffs.X[p].Length, ScalarType.Float64);
                for (var e = 0; e < u.Length; e++)
                {
                    u[e] *= Math.Max(1, Math.Abs(diffs.X[p][e]));
                    // Within the nominal step or within this direction's reach: the same elements are kinks in both modes.
                    if (KinkNear(p, e, Math.Max(StepOf(p, e), tol.Step * Math.Abs(u[e]))) is not { } kink) continue;
                    u[e] = 0;
                    if (k == 1) kinkElements.Add((p, e, kink));
                }
                if (u.All(x => x == 0)) continue;
                var c = Projection(p, k, v, g[p], u);
                if (!c.Passed && !localised[p])
                {
                    localised[p] = true;
                    Localise(p, k, v, g[p]);
                }
            }
            if (k == 1)
                foreach (var (p, e, kink) in kinkElements) AtKink(p, e, kink, v, g[p]);
        }
    }

    Comparison Projection(int p, int k, double[] v, double[] g, double[] u)
    {
        var h = tol.Step;
        var (difference, displacement) = diffs.Along(p, u, h);
        var numeric = Dot(v, difference) / (2 * h);
        // The displacement actually applied (u·2h before rounding to the evaluation dtype).
        var analytic = Dot(g, displacement) / (2 * h);
        var bound = tol.Atol * Norm(v) * Norm(u) + tol.Rtol * Math.Max(Math.Abs(numeric), TermNorm(g, u));
        var method = "central FD along u, projected on v";
        if (!(Math.Abs(analytic - numeric) <= bound) && options.Adaptive)
        {
            var levels = new List<double> { numeric };
            for (var l = 1; l < Math.Max(2, options.AdaptiveLevels); l++)
            {
                var hl = h / Math.Pow(2, l);
                levels.Add(Dot(v, diffs.Along(p, u, hl).Difference) / (2 * hl));
            }
            numeric = Richardson.Extrapolate(levels).Value;
            analytic = Dot(g, u);
            bound = tol.Atol * Norm(v) * Norm(u) + tol.Rtol * Math.Max(Math.Abs(numeric), TermNorm(g, u));
            method = $"{LadderMethod} along u, projected on v";
        }
        if (options.Jvp) JvpAlong(p, k, u, difference, displacement, h);
        return Compare(reverse, p, [], null, k, analytic, numeric, bound, h, method);
    }

    /// <summary>Forward mode along the same u: J·u by double backward against the central difference, output by output.</summary>
    void JvpAlong(int p, int k, double[] u, double[] difference, double[] displacement, double h)
    {
        double[] jvp;
        using (NewDisposeScope())
        {
            var directions = point.Select((t, q) =>
                tensor(q == p ? u : new double[t.numel()], t.shape, ScalarType.Float64).to(t.dtype, t.device)).ToList();
            jvp = Differences.Values(((AutogradSubject)subject).Jvp(point, directions));
        }
        var scale = Norm(displacement) / (2 * h) / Math.Max(Norm(u), double.Epsilon);
        for (var o = 0; o < jvp.Length; o++)
        {
            var numeric = difference[o] / (2 * h) / scale;
            Compare(CheckKind.Jvp, p, [], Differences.Unravel(o, outputShape), k, jvp[o], numeric,
                tol.Atol * Norm(u) + tol.Rtol * Math.Abs(numeric), h, "central FD along u");
        }
    }

    /// <summary>Every element of a failing operand: g[e] against ∂⟨v, f⟩/∂x_e by central differences.</summary>
    void Localise(int p, int k, double[] v, double[] g)
    {
        if (g.Length > options.LocalizeLimit)
        {
            notes.Add($"{subject.Operands[p].Name}: {g.Length} elements, above LocalizeLimit {options.LocalizeLimit}: the failing "
                + "projection was not localised (raise the limit or check a smaller case in full mode)");
            return;
        }
        for (var e = 0; e < g.Length; e++)
            if (KinkNear(p, e, StepOf(p, e)) is null) Element(p, e, k, v, g[e]); // kinks: checked once, one-sided, by AtKink
    }

    /// <summary>
    /// Mode <see cref="GradCheckMode.Cotangent"/>: one backward of dy, then every element of every operand against
    /// ∂⟨dy, f⟩/∂x by central differences (one-sided within the step of a declared kink).
    /// </summary>
    void OneCotangent(Tensor? dy)
    {
        if (dy is not null && !dy.shape.SequenceEqual(outputShape))
            throw new ArgumentException($"GradCheck: the cotangent has shape [{string.Join(",", dy.shape)}] but {subject.Title} "
                + $"returns [{string.Join(",", outputShape)}]");
        var v = dy is null ? Gaussians(Outputs, Dtype) : Differences.Values(dy);
        var g = Backward(v);
        for (var p = 0; p < point.Length; p++)
            for (var e = 0; e < g[p].Length; e++)
            {
                if (KinkNear(p, e, StepOf(p, e)) is { } kink) AtKink(p, e, kink, v, g[p], null);
                else Element(p, e, null, v, g[p][e], "dy");
            }
    }

    /// <summary>One element: the backward's g_e against ∂⟨v, f⟩/∂x_e (central, extrapolated when it fails and Adaptive).</summary>
    void Element(int p, int e, int? direction, double[] v, double analytic, string cotangent = "v")
    {
        var h = StepOf(p, e);
        var column = diffs.Column(p, e, h, Stencil.Central);
        var method = $"central FD of ⟨{cotangent}, f⟩";
        if (!ElementPasses(analytic, v, column) && options.Adaptive)
        {
            column = Ladder(p, e, h, column);
            method = $"{LadderMethod} of ⟨{cotangent}, f⟩";
        }
        var numeric = Dot(v, column);
        Compare(reverse, p, Differences.Unravel(e, diffs.Shapes[p]), null, direction, analytic, numeric,
            ElementBound(v, column, numeric), h, method);
    }

    /// <summary>An element within the step of a declared kink: one-sided (or the convention's) difference of ⟨v, f⟩.</summary>
    void AtKink(int p, int e, Kink kink, double[] v, double[] g, int? direction = 1)
    {
        var h = StepOf(p, e);
        var stencil = SideOf(diffs.X[p][e], kink);
        var column = diffs.Column(p, e, h, stencil);
        var numeric = Dot(v, column);
        Compare(reverse, p, Differences.Unravel(e, diffs.Shapes[p]), null, direction, g[e], numeric, ElementBound(v, column, numeric),
            h, $"{MethodOf(stencil)} of ⟨v, f⟩", kink);
    }

    bool ElementPasses(double analytic, double[] v, double[] column)
    {
        var numeric = Dot(v, column);
        return Math.Abs(analytic - numeric) <= ElementBound(v, column, numeric);
    }

    /// <summary>
    /// atol + rtol·max(|n|, ‖v ⊙ column‖): the relative part scales with the terms of ⟨v, column⟩, not with their possibly
    /// cancelled sum; atol is not scaled by ‖v‖, so a given unit cotangent gets the bound of one Jacobian entry.
    /// </summary>
    double ElementBound(double[] v, double[] column, double numeric) =>
        BoundAt(Math.Max(Math.Abs(numeric), TermNorm(v, column)));
}
