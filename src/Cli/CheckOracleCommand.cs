using System.Diagnostics;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Cli;

/// <summary>
/// The autograd oracle from the command line, on any device: <c>lmv check --differential</c> (the differential cases,
/// float64 and float32) and <c>lmv check --twin NET</c> (one float64 whole-network step, every gradient tensor and the
/// input cotangent). The same runs and bounds as tests/Oracle, for machines where only the CLI is at hand (a GPU).
/// Exits 1 when any tensor or loss misses its bound.
/// </summary>
static class CheckOracleCommand
{
    public static int RunDifferential(Device device)
    {
        var clock = Stopwatch.StartNew();
        var (batches, source) = OracleFamilies.DifferentialData();
        Console.WriteLine($"differential cases on {device.type} ({Precision(device)}); data: {source}");
        var problems = new List<string>();
        foreach (var c in DifferentialCatalog.All)
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                using var scope = NewDisposeScope();
                var r = DifferentialRun.Run(c, dtype, batches, device: device);
                var mine = r.Problems();
                Console.WriteLine($"{r.Row()}  {(mine.Count == 0 ? "ok" : "FAILED")}");
                problems.AddRange(mine);
            }
        return Verdict(problems, $"{DifferentialCatalog.All.Count} cases × 2 dtypes", clock);
    }

    public static int RunTwin(string name, Device device)
    {
        // Every name lmv train accepts: the Part-1 catalog, then the bestiary specs that train here (as they train).
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv check --twin: {target.Refusal}");
            return target.RefusalCode;
        }
        var clock = Stopwatch.StartNew();
        if (entry.Spec.Layers.OfType<CustomLayer>().Any()) return CustomTwin(entry.Spec, clock);
        var step = HandTwinStep.Run(entry.Spec, entry.Config.LabelSmoothing, device: device);
        Console.WriteLine(
            $"{entry.Spec.Name}: one float64 step at batch 2 on {device.type}, hand-derived graph vs autograd twin ({step.Timing})");
        Console.WriteLine($"  loss {step.HandLoss:R} vs {step.TwinLoss:R} (|Δ| {step.LossDifference:E2})");
        foreach (var row in step.Scaled.OrderByDescending(r => r.Finite ? r.MaxRel : double.PositiveInfinity).Take(5))
            Console.WriteLine($"  {row}");
        Console.WriteLine($"  ({step.Rows.Count} tensors; the 5 worst shown; bound {HandTwinStep.Bound:E0})");
        return Verdict([.. step.Problems(entry.Spec.Name)], $"{step.Rows.Count} tensors, worst relative {step.Worst:E2}", clock);
    }


    /// <summary>
    /// A net with custom layers: the twin cannot run a rule it did not write, so each custom rule is checked with GradCheck.Rule
    /// (float64 central differences), the public checking API, and the output says so.
    /// </summary>
    static int CustomTwin(NetSpec spec, Stopwatch clock)
    {
        var checks = CustomLayerChecks.Run(spec);
        Console.WriteLine(
            $"{spec.Name}: {string.Join(", ", checks.Select(c => $"layer {c.Index} is custom ({c.Layer.TypeName})"))}; the autograd "
            + "twin has no form of a rule written outside the library, so the whole-network twin step is not run and each custom rule is "
            + "checked with GradCheck.Rule (float64 central differences) instead");
        foreach (var c in checks) Console.WriteLine($"  {c.Summary}");
        return Verdict([.. checks.Where(c => !c.Passed).Select(c => c.Refusal)], $"{checks.Count} custom rules", clock);
    }

    static string Precision(Device device) => device.type == TorchSharp.DeviceType.CUDA ? "TF32 off" : "oneDNN off, 1 thread";

    static int Verdict(List<string> problems, string what, Stopwatch clock)
    {
        foreach (var p in problems) Console.WriteLine($"FAILED {p}");
        var verdict = problems.Count == 0 ? "all within their bounds" : $"{problems.Count} outside their bounds";
        Console.WriteLine($"{what}: {verdict} ({clock.Elapsed.TotalSeconds:0.0} s)");
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
