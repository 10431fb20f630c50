using System.Globalization;
using System.Text;
using LeanMlirVerify.Training.Specs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Bench;

/// <summary>One row of <c>lmv bench --all</c>: a catalog net at a batch size, its timed steps and warm-up steps.</summary>
public sealed record BenchRow(string Net, int Batch, int Steps, int Warmup);

/// <summary>
/// The issue-15 table: each (net, batch) the hand-derived step is held to against the autograd twin, run one after
/// another in one process (each row alternates its own hand, twin and floor steps), rendered as Markdown so the
/// figures in the docs are printed by the command, not typed.
/// </summary>
public static class BenchTable
{
    /// <summary>
    /// The rows and their targets (twin / hand at least this; mnist-mlp 128 also hand / floor ≤ 1.3). Steps give each
    /// row about a second or more of samples a pipeline where a step is short: with 30 steps the batch-1 MLP's medians
    /// (about 1 ms a step) moved 0.84–0.94× between two quiet runs a minute apart.
    /// </summary>
    public static IReadOnlyList<(BenchRow Row, double Target)> Rows { get; } =
    [
        (new("mnist-mlp", 128, 300, 10), 1.15),
        (new("mnist-mlp", 1, 1000, 50), 1.0),
        (new("mnist-cnn", 32, 40, 3), 1.0),
        (new("mnist-cnn", 128, 12, 2), 1.0),
        (new("cifar-bn", 32, 20, 2), 1.0),
        (new("vit-tiny", 4, 7, 1), 1.0),
        (new("resnet34", 8, 3, 1), 1.0),
        (new("mobilenet-v2", 8, 3, 1), 1.0),
    ];

    public static IReadOnlyList<BenchResult> Run(Device device, Action<BenchRow>? starting = null) =>
        [.. Rows.Select(r =>
        {
            starting?.Invoke(r.Row);
            return StepBenchmark.Run(NetCatalog.Find(r.Row.Net)!.Spec, r.Row.Batch, r.Row.Steps, device, r.Row.Warmup);
        })];

    /// <summary>The table as Markdown: a heading with the date, machine and command, then one line per row.</summary>
    public static string Markdown(IReadOnlyList<BenchResult> results, string command, string deviceName, DateTime when)
    {
        var md = new StringBuilder();
        md.AppendLine($"## `{command}`, {when.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC").AppendLine();
        md.AppendLine($"Machine: {Machine()}; {deviceName}, {get_num_threads()} libtorch threads; load average before the run "
            + $"{LoadAverage()}.").AppendLine();
        md.AppendLine("Medians of alternating steps in one process (best samples in brackets); twin / hand above 1: the hand-derived "
            + "step is faster. Ops: tensors a step creates in .NET ([OpCount](../src/Training/Bench/OpCount.cs): the hand "
            + "step's out-of-place ops; for the twin only its forward and returned gradients, autograd's backward runs inside "
            + "libtorch uncounted). Peak: resident memory a step adds (median of 3).").AppendLine();
        md.AppendLine("| net | batch | steps | hand ms | twin ms | twin / hand | target | hand / floor | peak hand / twin MiB "
            + "| ops hand / twin | busy |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (r, (row, target)) in results.Zip(Rows))
        {
            var best = r.Best!;
            var met = r.Speedup >= target ? "met" : "missed";
            md.AppendLine($"| {r.Net} | {r.Batch} | {r.Steps} | {F(r.HandMs)} ({F(best.HandMs)}) | {F(r.TwinMs)} ({F(best.TwinMs)}) "
                + $"| {F(r.Speedup)}× ({F(best.Speedup)}×) | ≥ {F(target)}×: {met} | {F(r.HandOverFloor)}× "
                    + $"({F(best.HandOverFloor)}×) "
                + $"| {Mib(r.HandPeakBytes)} / {Mib(r.TwinPeakBytes)} | {r.HandOps} / {r.TwinOps} "
                + $"| {Busy(r.Spread)} |");
        }
        return md.ToString();
    }

    static string Busy(SampleSpread? s) =>
        s is { Busy: true } ? $"yes ({SampleSpread.Percent(s.Hand)} / {SampleSpread.Percent(s.Twin)})" : "no";

    static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);

    static string Mib(double bytes) =>
        double.IsNaN(bytes) ? "n/a" : (bytes / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"2 cores, Intel(R) Xeon(R) …, 24 GiB, libtorch 2.10.0" from /proc where it can be read.</summary>
    static string Machine()
    {
        string? model = null;
        double memGiB = double.NaN;
        try
        {
            model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim();
            var mem = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (mem is not null)
                memGiB = double.Parse(mem[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / (1 << 20);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{Environment.ProcessorCount} cores, {model ?? "CPU model unknown"}, "
            + $"{(double.IsNaN(memGiB) ? "memory unknown" : memGiB.ToString("0", CultureInfo.InvariantCulture) + " GiB")}, "
            + $"libtorch {__version__}";
    }

    static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "unknown"; }
    }
}
