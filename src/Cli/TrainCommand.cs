using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv train NET [options]</c>: trains a catalog net with the Vjp backward passes (no autograd; <c>--autograd</c> swaps
/// in the autograd twin to compare against), writing the book's log lines to stderr, a JSON-Lines trace, checkpoints,
/// the trained parameters and a training-curve PNG. Exit codes: <see cref="ExitCodes"/> (docs/training-runs.md).
/// </summary>
static class TrainCommand
{
    public static Command Create()
    {
        var net = new Argument<string>("net") {
            Description = "a net name (lmv params lists them), e.g. mnist-mlp, a bestiary spec that fits Fashion-MNIST (lmv bestiary), "
            + "e.g. leNet5, or a spec file with a dataset: key (NET.yaml, docs/networks.md)" };
        var config = new Option<string>("--config")
        {
            Description = "recipe: " + string.Join(", ", RecipeNames.All.Select(r => r.Name)) + " (default: book)",
            DefaultValueFactory = _ => "book"
        };
        var data = new Option<string?>("--data") {
            Description = "dataset folder, or 'synthetic' for seeded learnable data in the net's input shape (default: Fashion-MNIST from "
            + "/usr/share/datasets/fashion-mnist for MNIST-format nets)" };
        var epochs = RunFlags.Count<int>("--epochs", "override the recipe's epoch count (with --resume: extend the run to N epochs)");
        var batch = RunFlags.Count<int>("--batch", "override the recipe's batch size");
        var lr = RunFlags.LearningRate("override the recipe's base learning rate");
        var seed = new Option<long?>("--seed")
        {
            Description = "TrainConfig.seed, recorded in the trace header (the book's init and shuffle use fixed seeds 42 and epoch+42)"
        };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var dtype = new Option<string>("--dtype")
        {
            Description = "float32 (default, as the book) or float64",
            DefaultValueFactory = _ => "float32"
        };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var trace = new Option<string?>("--trace") { Description = "JSON-Lines trace file (default OUT/trace.jsonl)" };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "checkpoint file, rewritten atomically after every epoch (default OUT/checkpoint.lmvckpt)"
        };
        var resume = RunFlags.Resume();
        var overwrite = RunFlags.Overwrite();
        var output = new Option<string?>("--out") { Description = "output folder (default runs/<net>; with --resume, its own folder)" };
        var maxSteps = RunFlags.Count<long>("--max-steps", "stop after this many global steps (checkpointed, resumable)");
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "keep file order (the book's LEAN_MLIR_NO_SHUFFLE)" };
        var autograd = new Option<bool>("--autograd") {
            Description = "gradients from the libtorch autograd twin instead of the hand-derived backward (to compare; same init, data, "
            + "optimizer and files)" };
        var command = new Command("train", "Train a net on real data with the checked backward passes.")
        {
            net, config, data, epochs, batch, lr, seed, device, dtype, trace, checkpoint, resume, overwrite, output, maxSteps, noShuffle,
            autograd,
        };
        command.SetAction(r =>
        {
            var request = new ConfigRequest
            {
                RecipeName = r.GetValue(config)!,
                Epochs = r.GetValue(epochs),
                BatchSize = r.GetValue(batch),
                LearningRate = r.GetValue(lr),
                Seed = r.GetValue(seed),
                MaxSteps = r.GetValue(maxSteps),
                Dtype = RunFlags.Given(r, dtype) is { } d ? Dtype(d) : null,
            };
            var options = new TrainOptions
            {
                DataDir = r.GetValue(data),
                TracePath = r.GetValue(trace),
                CheckpointPath = r.GetValue(checkpoint),
                ResumePath = r.GetValue(resume),
                Overwrite = r.GetValue(overwrite),
                MaxSteps = r.GetValue(maxSteps),
                Shuffle = !r.GetValue(noShuffle),
                Autograd = r.GetValue(autograd),
                Dtype = Dtype(r.GetValue(dtype)!),
                Log = Console.Error,
                ProgressBar = !Console.IsErrorRedirected,
            };
            return Run(r.GetValue(net)!, request, RunFlags.Given(r, config) is not null, r.GetValue(device)!, r.GetValue(output), options);
        });
        return command;
    }

    static ScalarType Dtype(string name) => name == "float64" ? ScalarType.Float64 : ScalarType.Float32;

    static int Run(string name, ConfigRequest request, bool recipeGiven, string deviceName, string? outDir, TrainOptions options)
    {
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv train: {target.Refusal}");
            return target.RefusalCode;
        }
        foreach (var line in target.Log) Console.Error.WriteLine(line);
        if (target.File is { Dataset: null } file)
        {
            Console.Error.WriteLine($"lmv train: {file.Path}: names no dataset, so there is nothing to train on; add 'dataset: mnist' "
                + $"(or {string.Join(", ", SpecFile.Datasets.Skip(1).Select(d => d.Name))}) to the file");
            return ExitCodes.BadInput;
        }
        // A custom layer's backward is the user's: it must pass a gradient check before it trains anything.
        foreach (var check in CustomLayerChecks.Run(entry.Spec))
        {
            Console.Error.WriteLine($"  {check.Summary}");
            if (check.Passed) continue;
            Console.Error.WriteLine($"lmv train: {check.Refusal}");
            return ExitCodes.Failed;
        }
        var recipe = RecipeNames.Find(request.RecipeName, entry);
        if (recipe is null)
        {
            Console.Error.WriteLine($"lmv train: unknown --config '{request.RecipeName}'. Recipes:\n"
                + string.Join("\n", RecipeNames.All.Select(r => $"  {r.Name,-16} {r.Description}")));
            return ExitCodes.Usage;
        }
        if (request.Problems() is { Count: > 0 } problems)
        {
            RunFlags.PrintProblems("train", problems);
            return ExitCodes.Usage;
        }
        try
        {
            options = options with
            {
                Device = TrainDevice.Resolve(deviceName),
                OutDir = RunFlags.OutDir(outDir, options.ResumePath, Path.Combine("runs", entry.Name)),
            };
            TrainConfig config;
            if (options.ResumePath is { } resume)
            {
                (config, var dtype) = (request with { Recipe = recipeGiven ? recipe : null }).Resume(RunFolder.ResumeHead(resume), resume);
                options = options with { Dtype = dtype };
            }
            else config = request.NewRun(recipe);
            var result = new TrainingLoop(entry.Spec, config, entry.Dataset, options).Run();
            Console.WriteLine($"{entry.Spec.Name}: {result.Steps} steps, {result.EpochsCompleted} epochs, test accuracy "
                + $"{result.Correct}/{result.Evaluated} = {result.Accuracy.ToString("F2", CultureInfo.InvariantCulture)}%");
            foreach (var f in result.Files) Console.WriteLine($"  wrote {f}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (ExitCodes.For(e) is not null)
        {
            return RunFlags.Report("train", e);
        }
    }
}
