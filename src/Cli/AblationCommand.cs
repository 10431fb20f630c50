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
        var name = new Argument<string?>("name")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "an ablation name (lmv ablation --list shows them), e.g. r34-no-aug"
        };
        var list = new Option<bool>("--list") { Description = "print the registry and exit" };
        var data = new Option<string?>("--data")
        {
            Description = "dataset folder, or 'synthetic' for seeded learnable data in the run's input shape (default: as lmv train)"
        };
        var epochs = RunFlags.Count<int>("--epochs", "override the run's epoch count");
        var batch = RunFlags.Count<int>("--batch", "override the run's batch size");
        var lr = RunFlags.LearningRate("override the run's base learning rate");
        var maxSteps = RunFlags.Count<long>("--max-steps", "stop after this many global steps (a short version of the run)");
        var output = new Option<string?>("--out")
        {
            Description = "output folder (default runs/ablation/<name>; with --resume, the checkpoint's folder)",
        };
        var resume = RunFlags.Resume();
        var overwrite = RunFlags.Overwrite();
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong(TrainDevice.Names);
        var dtype = new Option<string>("--dtype")
        {
            Description = "float32 (default, as the book) or float64",
            DefaultValueFactory = _ => "float32"
        };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "keep file order (the book's LEAN_MLIR_NO_SHUFFLE)" };
        var command = new Command(
            "ablation", "Run one configuration of the book's ablation registry (s4tfBaseline MLP/CNN/CIFAR runs, ResNet-34 leave-one-out).")
            { name, list, data, epochs, batch, lr, maxSteps, output, resume, overwrite, device, dtype, noShuffle };
        command.SetAction(r =>
        {
            if (r.GetValue(list) || r.GetValue(name) is null)
            {
                PrintRegistry();
                return ExitCodes.Ok;
            }
            var request = new ConfigRequest
            {
                Epochs = r.GetValue(epochs),
                BatchSize = r.GetValue(batch),
                LearningRate = r.GetValue(lr),
                MaxSteps = r.GetValue(maxSteps),
                Dtype = RunFlags.Given(r, dtype) is { } d ? Dtype(d) : null,
            };
            return Run(r.GetValue(name)!, request, r.GetValue(output), new TrainOptions
            {
                DataDir = r.GetValue(data),
                ResumePath = r.GetValue(resume),
                Overwrite = r.GetValue(overwrite),
                MaxSteps = r.GetValue(maxSteps),
                Shuffle = !r.GetValue(noShuffle),
                Dtype = Dtype(r.GetValue(dtype)!),
                Log = Console.Error,
                ProgressBar = !Console.IsErrorRedirected,
            }, r.GetValue(device)!);
        });
        return command;
    }

    static ScalarType Dtype(string name) => name == "float64" ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>
    /// One registry run under the run-folder rules of <c>lmv train</c>; on --resume the ablation is known from the
    /// checkpoint's spec name, so only the flags given again are compared with the checkpoint.
    /// </summary>
    static int Run(string name, ConfigRequest request, string? outDir, TrainOptions options, string deviceName)
    {
        if (request.Problems() is { Count: > 0 } problems)
        {
            RunFlags.PrintProblems("ablation", problems);
            return ExitCodes.Usage;
        }
        try
        {
            var ablation = AblationRunner.Resolve(name);
            options = options with
            {
                Device = TrainDevice.Resolve(deviceName),
                OutDir = RunFlags.OutDir(outDir, options.ResumePath, Path.Combine("runs", "ablation", name)),
            };
            TrainConfig config;
            if (options.ResumePath is { } resume)
            {
                (config, var dtype) = request.Resume(RunFolder.ResumeHead(resume), resume);
                options = options with { Dtype = dtype };
            }
            else config = request.NewRun(ablation.Config);
            var result = AblationRunner.Run(ablation, config, options);
            Console.WriteLine($"{ablation.RunSpec.Name}: {result.Steps} steps, {result.EpochsCompleted} epochs, test accuracy "
                + $"{result.Correct}/{result.Evaluated} = {result.Accuracy.ToString("F2", CultureInfo.InvariantCulture)}%");
            foreach (var f in result.Files) Console.WriteLine($"  wrote {f}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (ExitCodes.For(e) is not null)
        {
            return RunFlags.Report("ablation", e);
        }
    }

    static void PrintRegistry()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Simple)
            .Title($"The book's ablation registry ({Ablation.All.Count} runs; lmv ablation NAME)");
        foreach (var column in new[]
            {
                "name", "spec", "params", "data", "optimizer", "lr", "batch", "epochs", "cosine (warmup)", "wd", "aug", "smoothing",
                "book acc.",
            })
            table.AddColumn(column);
        foreach (var a in Ablation.All)
        {
            var c = a.Config;
            table.AddRow(
                a.Name, Markup.Escape(a.Spec.Name), a.Spec.TotalParams().ToString("N0", CultureInfo.InvariantCulture), a.Dataset.ToString(),
                c.UseAdam ? "Adam" : "SGD+momentum", F(c.LearningRate), F(c.BatchSize), F(c.Epochs),
                c.CosineDecay ? $"yes ({c.WarmupEpochs})" : "no", F(c.WeightDecay), c.Augment ? "yes" : "no", F(c.LabelSmoothing),
                AblationRunner.BookAccuracy.TryGetValue(a.Name, out var acc) ? $"{F(acc)} %" : "");
        }
        AnsiConsole.Write(table);
    }
}
