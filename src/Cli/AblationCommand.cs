using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using Spectre.Console;
using static TorchSharp.torch;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv ablation NAME [options]</c>: one run of the book's ablation registry through the trainer of <c>lmv train</c>
/// (same log lines, after the runner's header); <c>lmv ablation</c> or <c>--list</c> prints the registry.
/// </summary>
static class AblationCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "an ablation name (lmv ablation --list shows them), e.g. r34-no-aug" };
        var list = new Option<bool>("--list") { Description = "print the registry and exit" };
        var data = new Option<string?>("--data") { Description = "dataset folder, or 'synthetic' for seeded learnable data in the run's input shape (default: as lmv train)" };
        var epochs = new Option<int?>("--epochs") { Description = "override the run's epoch count" };
        var batch = new Option<int?>("--batch") { Description = "override the run's batch size" };
        var lr = new Option<double?>("--lr") { Description = "override the run's base learning rate" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop after this many global steps (a short version of the run)" };
        var output = new Option<string?>("--out") { Description = "output folder (default runs/ablation/<name>)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong(TrainDevice.Names);
        var dtype = new Option<string>("--dtype") { Description = "float32 (default, as the book) or float64", DefaultValueFactory = _ => "float32" };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "keep file order (the book's LEAN_MLIR_NO_SHUFFLE)" };
        var command = new Command("ablation", "Run one configuration of the book's ablation registry (s4tfBaseline MLP/CNN/CIFAR runs, ResNet-34 leave-one-out).")
            { name, list, data, epochs, batch, lr, maxSteps, output, device, dtype, noShuffle };
        command.SetAction(r =>
        {
            if (r.GetValue(list) || r.GetValue(name) is null)
            {
                PrintRegistry();
                return 0;
            }
            return Run(r.GetValue(name)!, r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr), new TrainOptions
            {
                DataDir = r.GetValue(data),
                OutDir = r.GetValue(output) ?? Path.Combine("runs", "ablation", r.GetValue(name)!),
                MaxSteps = r.GetValue(maxSteps),
                Shuffle = !r.GetValue(noShuffle),
                Dtype = r.GetValue(dtype) == "float64" ? ScalarType.Float64 : ScalarType.Float32,
                Log = Console.Error,
                ProgressBar = !Console.IsErrorRedirected,
            }, r.GetValue(device)!);
        });
        return command;
    }

    static int Run(string name, int? epochs, int? batch, double? lr, TrainOptions options, string deviceName)
    {
        try
        {
            options = options with { Device = TrainDevice.Resolve(deviceName) };
            var ablation = AblationRunner.Resolve(name);
            var config = ablation.Config with
            {
                Epochs = epochs ?? ablation.Config.Epochs,
                BatchSize = batch ?? ablation.Config.BatchSize,
                LearningRate = lr ?? ablation.Config.LearningRate,
            };
            if (config.Epochs < 1 || config.BatchSize < 1 || !(config.LearningRate > 0))
                throw new ArgumentException($"--epochs and --batch must be at least 1 and --lr positive (got {config.Epochs}, {config.BatchSize}, {config.LearningRate})");
            var result = AblationRunner.Run(ablation, config, options);
            Console.WriteLine($"{ablation.RunSpec.Name}: {result.Steps} steps, {result.EpochsCompleted} epochs, test accuracy "
                + $"{result.Correct}/{result.Evaluated} = {result.Accuracy.ToString("F2", CultureInfo.InvariantCulture)}%");
            foreach (var f in result.Files) Console.WriteLine($"  wrote {f}");
            return 0;
        }
        catch (Exception e) when (ExitCode(e) is { } code)
        {
            Console.Error.WriteLine($"lmv ablation: {e.Message}");
            return code;
        }
    }

    /// <summary>The exit codes of <c>lmv train</c>: 2 bad arguments or no such device, 3 no data, 4 diverged, 1 a bad spec or file.</summary>
    static int? ExitCode(Exception e) => e switch
    {
        ArgumentException or DeviceUnavailableException => 2,
        DataNotFoundException => 3,
        TrainingDivergedException => 4,
        SpecException or NotSupportedException or InvalidDataException or DataFormatException or FileNotFoundException => 1,
        _ => null,
    };

    static void PrintRegistry()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Simple).Title($"The book's ablation registry ({Ablation.All.Count} runs; lmv ablation NAME)");
        foreach (var column in new[] { "name", "spec", "params", "data", "optimizer", "lr", "batch", "epochs", "cosine (warmup)", "wd", "aug", "smoothing", "book acc." })
            table.AddColumn(column);
        foreach (var a in Ablation.All)
        {
            var c = a.Config;
            table.AddRow(a.Name, Markup.Escape(a.Spec.Name), a.Spec.TotalParams().ToString("N0", CultureInfo.InvariantCulture), a.Dataset.ToString(),
                c.UseAdam ? "Adam" : "SGD+momentum", F(c.LearningRate), F(c.BatchSize), F(c.Epochs),
                c.CosineDecay ? $"yes ({c.WarmupEpochs})" : "no", F(c.WeightDecay), c.Augment ? "yes" : "no", F(c.LabelSmoothing),
                AblationRunner.BookAccuracy.TryGetValue(a.Name, out var acc) ? $"{F(acc)} %" : "");
        }
        AnsiConsole.Write(table);
    }
}
