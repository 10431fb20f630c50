using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Runs;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv trace diff A B [--mode strict|cross-gpu|cross-comp]</c>: compares two JSON-Lines training traces.</summary>
static class TraceCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "first trace (.jsonl)" };
        var b = new Argument<string>("b") { Description = "second trace (.jsonl)" };
        var mode = new Option<string>("--mode") { Description = "tolerance: strict (1e-4/1e-3), cross-gpu (1e-3/1e-2), cross-comp (1e-2/1e-1)", DefaultValueFactory = _ => "strict" };
        mode.AcceptOnlyFromAmong("strict", "cross-gpu", "cross-comp");
        var diff = new Command("diff", "Per-step loss differences, lr and the worst gradient-norm difference; exit 1 when they disagree.") { a, b, mode };
        diff.SetAction(r => Diff(r.GetValue(a)!, r.GetValue(b)!, r.GetValue(mode)!));
        return new Command("trace", "Training traces.") { diff };
    }

    static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    static int Diff(string pathA, string pathB, string mode)
    {
        var tolerance = mode switch { "cross-gpu" => Tolerance.CrossGpu, "cross-comp" => Tolerance.CrossCompiler, _ => Tolerance.Strict };
        Trace ta, tb;
        try { (ta, tb) = (TraceReader.Read(pathA), TraceReader.Read(pathB)); }
        catch (Exception e) when (e is FormatException or IOException)
        {
            Console.Error.WriteLine($"lmv trace diff: {e.Message}");
            return 2;
        }
        var d = TraceDiff.Compare(ta, tb);
        foreach (var h in d.HeaderDiffs) Console.WriteLine($"header differs: {h}");
        if (d.StepsA != d.StepsB) Console.WriteLine($"step counts differ: {d.StepsA} vs {d.StepsB} (compared the first {d.Steps.Count})");
        Console.WriteLine($"steps compared: {d.Steps.Count}; loss |Δ| max {G(d.MaxAbsLoss)}, median {G(d.MedianAbsLoss)}; relative max {G(d.MaxRelLoss)}");
        if (d.WorstGradNorm is { } g) Console.WriteLine($"worst gradient-norm difference: {g.Tensor} at step {g.Step}: {g.A.ToString("G9", CultureInfo.InvariantCulture)} vs {g.B.ToString("G9", CultureInfo.InvariantCulture)} (|Δ| {G(g.Abs)})");
        var bad = d.Mismatches(tolerance).ToList();
        foreach (var s in bad.Take(20)) Console.WriteLine($"  step {s.Step}: loss {G(s.LossA)} vs {G(s.LossB)} (|Δ| {G(s.AbsLoss)}), lr {G(s.LrA)} vs {G(s.LrB)}");
        bool agree = d.Agrees(tolerance);
        Console.WriteLine(agree ? $"agree ({mode})" : $"DISAGREE ({mode}): {bad.Count} step(s) outside atol {G(tolerance.Atol)}, rtol {G(tolerance.Rtol)}");
        return agree ? 0 : 1;
    }
}
