using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv trace diff A B [--mode strict|cross-gpu|cross-comp] [--steps N]</c>: compares two JSON-Lines training traces.</summary>
static class TraceCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "first trace (.jsonl)" };
        var b = new Argument<string>("b") { Description = "second trace (.jsonl)" };
        var mode = new Option<string>("--mode")
        {
            Description = "tolerance: strict (1e-4/1e-3), cross-gpu (1e-3/1e-2), cross-comp (1e-2/1e-1)",
            DefaultValueFactory = _ => "strict"
        };
        mode.AcceptOnlyFromAmong("strict", "cross-gpu", "cross-comp");
        var show = new Option<int>("--steps")
        {
            Description = "print the per-step loss differences of the first N steps (default 5; 0 for none)",
            DefaultValueFactory = _ => 5
        };
        var diff = new Command("diff", "Per-step loss differences, lr and the worst gradient-norm difference; exit 1 when they disagree.")
        {
            a, b, mode, show
        };
        diff.SetAction(r => Diff(r.GetValue(a)!, r.GetValue(b)!, r.GetValue(mode)!, Math.Max(0, r.GetValue(show))));
        return new Command("trace", "Training traces.") { diff };
    }

    static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    static string R(double x) => x.ToString("G9", CultureInfo.InvariantCulture);

    static int Diff(string pathA, string pathB, string mode, int show)
    {
        var tolerance = mode switch { "cross-gpu" => Tolerance.CrossGpu, "cross-comp" => Tolerance.CrossCompiler, _ => Tolerance.Strict };
        Trace ta, tb;
        try { (ta, tb) = (TraceReader.Read(pathA), TraceReader.Read(pathB)); }
        catch (Exception e) when (e is FormatException or IOException)
        {
            Console.Error.WriteLine($"lmv trace diff: {e.Message}");
            return ExitCodes.Usage;
        }
        var d = TraceDiff.Compare(ta, tb);
        Console.WriteLine($"A: {pathA} (phase {ta.Header.Phase}); B: {pathB} (phase {tb.Header.Phase})");
        foreach (var h in d.HeaderDiffs) Console.WriteLine($"header differs: {h}");
        if (d.StepsA != d.StepsB) Console.WriteLine($"step counts differ: {d.StepsA} vs {d.StepsB} (compared the first {d.Steps.Count})");
        Console.WriteLine(
            $"steps compared: {d.Steps.Count}; loss |Δ| max {G(d.MaxAbsLoss)}, median {G(d.MedianAbsLoss)}; relative max "
            + $"{G(d.MaxRelLoss)}");
        foreach (var s in d.Steps.Take(show))
            Console.WriteLine($"  step {s.Step}: loss {R(s.LossA)} vs {R(s.LossB)}: |Δ| {G(s.AbsLoss)}, relative {G(s.RelLoss)}");
        if (d.WorstGradNorm is { } g) Console.WriteLine(
            $"worst gradient-norm difference: {g.Tensor} at step {g.Step}: {R(g.A)} vs {R(g.B)} (|Δ| {G(g.Abs)}, relative {G(g.Rel)})");
        else Console.WriteLine("no gradient norms in both traces: gradient norms not compared");
        var bad = d.Mismatches(tolerance).ToList();
        if (bad.Count > 0) Console.WriteLine($"steps outside {mode} (first {Math.Min(20, bad.Count)} of {bad.Count}):");
        foreach (var s in bad.Take(20)) Console.WriteLine(
            $"  step {s.Step}: loss {G(s.LossA)} vs {G(s.LossB)} (|Δ| {G(s.AbsLoss)}), lr {G(s.LrA)} vs {G(s.LrB)}");
        bool agree = d.Agrees(tolerance);
        Console.WriteLine(
            agree ? $"agree ({mode})"
            : $"DISAGREE ({mode}): {bad.Count} step(s) outside atol {G(tolerance.Atol)}, rtol {G(tolerance.Rtol)}");
        return agree ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
