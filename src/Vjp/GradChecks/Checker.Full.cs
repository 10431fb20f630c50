using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

internal sealed partial class Checker
{
    /// <summary>
    /// Full mode: the analytic Jacobian row by row (one backward per output element; with <see cref="GradCheckOptions.Jvp"/>
    /// also column by column by double backward) against central differences column by column (one pair of forwards per
    /// element). Every entry is one comparison, |a − n| ≤ atol + rtol·|n|.
    /// </summary>
    void Full()
    {
        var outputs = (int)Outputs;
        var rows = FullRows(outputs);
        // Forward mode before any difference: a module or rule then changes dtype once, not once per element.
        var jvps = options.Jvp
            ? point.Select((t, p) => Enumerable.Range(0, (int)t.numel()).Select(e => JvpColumn(p, e)).ToArray()).ToArray()
            : null;
        for (var p = 0; p < point.Length; p++)
        {
            var n = rows[p].Length / Math.Max(1, outputs);
            var reported = 0;
            for (var e = 0; e < n; e++)
            {
                var h = StepOf(p, e);
                var kink = KinkNear(p, e, h);
                var stencil = SideOf(diffs.X[p][e], kink);
                var column = diffs.Column(p, e, h, stencil);
                var method = MethodOf(stencil);
                var jvp = jvps?[p][e];
                var fails = ColumnFails(rows[p], n, e, column) || (jvp is not null && JvpFails(jvp, column));
                string? note = null;
                if (fails && options.Adaptive && kink is null)
                {
                    column = Ladder(p, e, h, column);
                    method = LadderMethod;
                    fails = ColumnFails(rows[p], n, e, column) || (jvp is not null && JvpFails(jvp, column));
                    if (fails && reported++ < options.MaxReported) note = SuspectedKink(p, e, h);
                }
                var index = Differences.Unravel(e, diffs.Shapes[p]);
                for (var o = 0; o < outputs; o++)
                {
                    var numeric = column[o];
                    var output = Differences.Unravel(o, outputShape);
                    Compare(reverse, p, index, output, null, rows[p][o * n + e], numeric, BoundAt(Math.Abs(numeric)),
                        h, method, kink, note);
                    if (jvp is not null)
                        Compare(CheckKind.Jvp, p, index, output, null, jvp[o], numeric, BoundAt(Math.Abs(numeric)), h, method,
                            kink, note);
                }
            }
        }
    }

    /// <summary>Row o of the Jacobian (the backward of the o-th basis cotangent), stored per operand as [output, element].</summary>
    double[][] FullRows(int outputs)
    {
        var rows = subject.Operands.Select(o => new double[outputs * o.Value.numel()]).ToArray();
        for (var o = 0; o < outputs; o++)
        {
            var basis = new double[outputs];
            basis[o] = 1;
            var g = Backward(basis);
            for (var p = 0; p < rows.Length; p++) Array.Copy(g[p], 0, rows[p], (long)o * g[p].Length, g[p].Length);
        }
        return rows;
    }

    /// <summary>Column (p, e) of the Jacobian by forward mode: J·eₑ by double backward.</summary>
    double[] JvpColumn(int p, int e)
    {
        using var scope = NewDisposeScope();
        var u = point.Select((t, q) =>
        {
            var values = new double[t.numel()];
            if (q == p) values[e] = 1;
            return tensor(values, t.shape, ScalarType.Float64).to(t.dtype, t.device);
        }).ToList();
        return Differences.Values(((AutogradSubject)subject).Jvp(point, u));
    }

    bool ColumnFails(double[] rows, int n, int e, double[] column)
    {
        for (var o = 0; o < column.Length; o++)
            if (!Agreement.Within(rows[o * n + e], column[o], BoundAt(Math.Abs(column[o])))) return true;
        return false;
    }

    bool JvpFails(double[] jvp, double[] column)
    {
        for (var o = 0; o < column.Length; o++)
            if (!Agreement.Within(jvp[o], column[o], BoundAt(Math.Abs(column[o])))) return true;
        return false;
    }

    /// <summary>
    /// A failing column whose one-sided differences disagree with each other is a kink nobody declared, not (necessarily)
    /// a wrong gradient: say so, with both one-sided values at the worst output.
    /// </summary>
    string? SuspectedKink(int p, int e, double h)
    {
        var left = diffs.Column(p, e, h, Stencil.Left);
        var right = diffs.Column(p, e, h, Stencil.Right);
        var o = Enumerable.Range(0, left.Length).MaxBy(i => Math.Abs(left[i] - right[i]));
        var gap = Math.Abs(left[o] - right[o]);
        if (!(gap > 10 * (tol.Atol + tol.Rtol * Math.Max(Math.Abs(left[o]), Math.Abs(right[o]))))) return null;
        return $"left- and right-sided differences disagree there ({Comparison.G(left[o])} vs {Comparison.G(right[o])} at output "
            + $"{Comparison.FormatIndex(Differences.Unravel(o, outputShape))}): x = {Comparison.G(diffs.X[p][e])} looks like a kink; "
            + "declare it in GradCheckOptions.Kinks with the convention the function claims";
    }
}
