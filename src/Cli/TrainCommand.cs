using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Vjp.Algebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv train NET [options]</c>: trains a catalog net with the Vjp backward passes (no autograd; <c>--autograd</c> swaps
/// in the autograd twin to compare against), writing the book's log lines to stderr, a JSON-Lines trace, checkpoints,
/// the trained parameters and a training-curve PNG.
/// </summary>
static class TrainCommand
{
    public static Command Create()
    {
        var net = new Argument<string>("net") { Description = "a net name (lmv params lists them), e.g. mnist-mlp, or a bestiary spec that fits Fashion-MNIST (lmv bestiary), e.g. leNet5" };
        var config = new Option<string>("--config") { Description = "recipe: " + string.Join(", ", RecipeNames.All.Select(r => r.Name)) + " (default: book)", DefaultValueFactory = _ => "book" };
        var data = new Option<string?>("--data") { Description = "dataset folder, or 'synthetic' for seeded learnable data in the net's input shape (default: Fashion-MNIST from /usr/share/datasets/fashion-mnist for MNIST-format nets)" };
        var epochs = new Option<int?>("--epochs") { Description = "override the recipe's epoch count" };
        var batch = new Option<int?>("--batch") { Description = "override the recipe's batch size" };
        var lr = new Option<double?>("--lr") { Description = "override the recipe's base learning rate" };
        var seed = new Option<long?>("--seed") { Description = "TrainConfig.seed, recorded in the trace header (the book's init and shuffle use fixed seeds 42 and epoch+42)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var dtype = new Option<string>("--dtype") { Description = "float32 (default, as the book) or float64", DefaultValueFactory = _ => "float32" };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var trace = new Option<string?>("--trace") { Description = "JSON-Lines trace file (default OUT/trace.jsonl)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "checkpoint file, rewritten atomically after every epoch (default OUT/checkpoint.lmvckpt)" };
        var resume = new Option<string?>("--resume") { Description = "continue from a checkpoint (same net and config)" };
        var output = new Option<string?>("--out") { Description = "output folder (default runs/<net>)" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop after this many global steps (checkpointed, resumable)" };
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "keep file order (the book's LEAN_MLIR_NO_SHUFFLE)" };
        var autograd = new Option<bool>("--autograd") { Description = "gradients from the libtorch autograd twin instead of the hand-derived backward (to compare; same init, data, optimizer and files)" };
        var command = new Command("train", "Train a net on real data with the checked backward passes.")
            { net, config, data, epochs, batch, lr, seed, device, dtype, trace, checkpoint, resume, output, maxSteps, noShuffle, autograd };
        command.SetAction(r => Run(r.GetValue(net)!, r.GetValue(config)!, r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr), r.GetValue(seed),
            r.GetValue(device)!, r.GetValue(dtype)!, r.GetValue(noShuffle), r.GetValue(maxSteps), r.GetValue(data), r.GetValue(output),
            r.GetValue(trace), r.GetValue(checkpoint), r.GetValue(resume), r.GetValue(autograd)));
        return command;
    }

    static int Run(string name, string configName, int? epochs, int? batch, double? lr, long? seed, string deviceName, string dtypeName,
        bool noShuffle, long? maxSteps, string? data, string? outDir, string? trace, string? checkpoint, string? resume, bool autograd)
    {
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv train: {target.Refusal}");
            return 2;
        }
        foreach (var line in target.Log) Console.Error.WriteLine(line);
        var config = RecipeNames.Find(configName, entry);
        if (config is null)
        {
            Console.Error.WriteLine($"lmv train: unknown --config '{configName}'. Recipes:\n"
                + string.Join("\n", RecipeNames.All.Select(r => $"  {r.Name,-16} {r.Description}")));
            return 2;
        }
        config = config with
        {
            Epochs = epochs ?? config.Epochs,
            BatchSize = batch ?? config.BatchSize,
            LearningRate = lr ?? config.LearningRate,
            Seed = seed ?? config.Seed,
        };
        if (config.Epochs < 1 || config.BatchSize < 1 || !(config.LearningRate > 0))
        {
            Console.Error.WriteLine($"lmv train: --epochs and --batch must be at least 1 and --lr positive (got {config.Epochs}, {config.BatchSize}, {config.LearningRate})");
            return 2;
        }
        Device device;
        try { device = TrainDevice.Resolve(deviceName); }
        catch (NotSupportedException e)
        {
            Console.Error.WriteLine($"lmv train: {e.Message}");
            return 2;
        }
        // libtorch 2.10's oneDNN conv backward returned wrong float32 gradients on this project's AVX-512 CPU (4 of the
        // 16 differential cases, README "oneDNN"); the twin is there to compare against, so on the CPU it runs without it.
        if (autograd && device.type == TorchSharp.DeviceType.CPU) LibTorchRuntime.DisableMkldnn();
        var options = new TrainOptions
        {
            DataDir = data,
            OutDir = outDir ?? Path.Combine("runs", entry.Name),
            TracePath = trace,
            CheckpointPath = checkpoint,
            ResumePath = resume,
            MaxSteps = maxSteps,
            Shuffle = !noShuffle,
            Autograd = autograd,
            Device = device,
            Dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32,
            Log = Console.Error,
            ProgressBar = !Console.IsErrorRedirected,
        };
        try
        {
            var result = new TrainingLoop(entry.Spec, config, entry.Dataset, options).Run();
            Console.WriteLine($"{entry.Spec.Name}: {result.Steps} steps, {result.EpochsCompleted} epochs, test accuracy "
                + $"{result.Correct}/{result.Evaluated} = {result.Accuracy.ToString("F2", CultureInfo.InvariantCulture)}%");
            foreach (var f in result.Files) Console.WriteLine($"  wrote {f}");
            return 0;
        }
        catch (DataNotFoundException e)
        {
            Console.Error.WriteLine($"lmv train: {e.Message}");
            return 3;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"lmv train: {e.Message}");
            return 4;
        }
        catch (Exception e) when (e is SpecException or NotSupportedException or InvalidDataException or DataFormatException or FileNotFoundException)
        {
            Console.Error.WriteLine($"lmv train: {e.Message}");
            return 1;
        }
    }
}
