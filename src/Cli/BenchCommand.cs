using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Bench;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv bench NET</c>: hand-derived step vs autograd twin step, medians, ratio, and the compute floor.</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var net = new Argument<string?>("net")
        {
            Description = "a net name (lmv params lists them), a bestiary spec that trains here, or a spec file (NET.yaml)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "timed steps of each pipeline", DefaultValueFactory = _ => 20 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong(TrainDevice.Names);
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (default: libtorch's, one per core)" };
        var breakdown = new Option<bool>("--breakdown")
        {
            Description = "also time each layer's forward and pullback in the hand-derived step"
        };
        var all = new Option<bool>("--all")
            { Description = "run the issue-15 table (each net at its batch sizes) and append it as Markdown to --out" };
        var output = new Option<string>("--out")
            { Description = "the Markdown file --all appends to", DefaultValueFactory = _ => "docs/benchmarks-cpu.md" };
        var command = new Command(
            "bench", "Median ms per gradient step: the hand-derived backward vs the autograd twin, same data, one process.")
            { net, batch, steps, device, threads, breakdown, all, output };
        command.SetAction(r => r.GetValue(all)
            ? RunAll(r.GetValue(net), r.GetValue(device)!, r.GetValue(threads), r.GetValue(output)!)
            : Run(r.GetValue(net), r.GetValue(batch), r.GetValue(steps), r.GetValue(device)!, r.GetValue(threads), r.GetValue(breakdown)));
        return command;
    }

    /// <summary><c>lmv bench --all</c>: every row of <see cref="BenchTable"/>, printed and appended to a Markdown file.</summary>
    static int RunAll(string? name, string deviceName, int threads, string output)
    {
        if (name is not null)
        {
            Console.Error.WriteLine($"lmv bench: --all runs its own nets; drop '{name}'");
            return ExitCodes.Usage;
        }
        if (Setup(deviceName, threads) is not { } device) return ExitCodes.Usage;
        var results = BenchTable.Run(device, row => Console.Error.WriteLine($"lmv bench: {row.Net}, batch {row.Batch}..."));
        var command = $"lmv bench --all --device {deviceName}" + (threads > 0 ? $" --threads {threads}" : "");
        var md = BenchTable.Markdown(results, command, deviceName, DateTime.UtcNow);
        Console.Write(md);
        var path = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
            File.WriteAllText(path, "# CPU step benchmarks (`lmv bench --all`)\n\nWritten by the command; newest at the end. "
                + "How to read it: [performance.md](performance.md).\n\n");
        File.AppendAllText(path, md + "\n");
        Console.Error.WriteLine($"lmv bench: appended to {path}");
        return ExitCodes.Ok;
    }

    /// <summary>The device, with libtorch's runtime settings applied; null (after saying why) when unusable.</summary>
    static TorchSharp.torch.Device? Setup(string deviceName, int threads)
    {
        TorchSharp.torch.Device device;
        try { device = TrainDevice.Resolve(deviceName); }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine($"lmv bench: {e.Message}");
            return null;
        }
        if (threads < 0)
        {
            Console.Error.WriteLine($"lmv bench: --threads must be positive, not {threads}");
            return null;
        }
        LibTorchRuntime.Apply(RuntimeSettings.Defaults with { Threads = threads });
        return device;
    }

    static int Run(string? name, int batch, int steps, string deviceName, int threads, bool breakdown)
    {
        if (name is null)
        {
            Console.Error.WriteLine("lmv bench: name a net, or pass --all");
            return ExitCodes.Usage;
        }
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv bench: {target.Refusal}");
            return target.RefusalCode;
        }
        if (Setup(deviceName, threads) is not { } device) return ExitCodes.Usage;
        BenchResult r;
        try { r = StepBenchmark.Run(entry.Spec, batch, steps, device, breakdown: breakdown); }
        catch (Exception e) when (e is SpecException or NotSupportedException)
        {
            // A spec the graph or the twin cannot build (a custom layer has no twin form): one line, not a stack trace.
            Console.Error.WriteLine($"lmv bench: {e.Message}");
            return ExitCodes.BadInput;
        }
        string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine(
            $"{r.Net}, batch {r.Batch}, {r.Steps} alternating steps after warm-up ({deviceName}, {TorchSharp.torch.get_num_threads()} "
            + "libtorch threads):");
        var spread = r.Spread!; // Run always measures it; only the best-sample figures have none
        if (spread.Warning is { } busy) Console.WriteLine($"  {busy}");
        Console.WriteLine($"  hand-derived step  {F(r.HandMs)} ms (median; samples spread {SampleSpread.Percent(spread.Hand)})");
        Console.WriteLine($"  autograd twin step {F(r.TwinMs)} ms (median; samples spread {SampleSpread.Percent(spread.Twin)})");
        Console.WriteLine($"  twin / hand        {F(r.Speedup)}× (above 1: the hand-derived step is faster)");
        Console.WriteLine(
            $"  compute floor      {F(r.FloorMs)} ms = {r.StepFlops / 1e9:0.000} GFLOP / {F(r.MatmulGflops)} GFLOP/s (1024² float32 "
            + "matmul, median in the same alternation)");
        Console.WriteLine($"  hand / floor       {F(r.HandOverFloor)}×");
        if (r.Best is { } best)
            Console.WriteLine(
                $"  best samples       hand {F(best.HandMs)} ms, twin {F(best.TwinMs)} ms, twin / hand {F(best.Speedup)}×, floor "
                + $"{F(best.FloorMs)} ms, hand / floor {F(best.HandOverFloor)}×");
        string M(double bytes) => double.IsNaN(bytes) ? "n/a" : (bytes / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
        var how = deviceName == "cpu"
            ? "(resident high-water mark a step adds, median of 3)"
            : "(TorchSharp exposes no CUDA allocator statistics)";
        Console.WriteLine($"  peak memory        hand {M(r.HandPeakBytes)}, twin {M(r.TwinPeakBytes)} {how}");
        Console.WriteLine($"  tensors per step   hand {r.HandOps}, twin {r.TwinOps} (twin: forward and returned gradients only)");
        if (r.Breakdown is { } b)
        {
            Console.WriteLine($"where the time goes ({r.Steps} more steps, best samples, ms):");
            Console.WriteLine($"  {"layer",-40} {"forward",9} {"pullback",9}");
            foreach (var l in b.Layers)
                Console.WriteLine(
                    $"  {$"L{l.Layer} {entry.Spec.Layers[l.Layer].Constructor} {entry.Spec.Layers[l.Layer].Compact()}",-40} "
                    + $"{F(l.ForwardMs),9} {F(l.PullbackMs),9}");
            Console.WriteLine($"  {"loss, zeroing, glue (step − its layers)",-40} {F(b.HandRestMs),19}");
            Console.WriteLine($"  {"hand-derived step",-40} {F(b.HandStepMs),19}");
            Console.WriteLine(
                $"  twin: forward with loss {F(b.TwinForwardMs)}, backward {F(b.TwinStepMs - b.TwinForwardMs)}, step {F(b.TwinStepMs)}");
            if (!double.IsNaN(b.GemmsMs)) Console.WriteLine($"  the step's matrix products alone, same shapes: {F(b.GemmsMs)}");
        }
        return ExitCodes.Ok;
    }
}
