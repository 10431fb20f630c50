using LeanMlirVerify.Training.Specs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// How to run one training job. Paths default under <see cref="OutDir"/>: trace.jsonl, checkpoint.lmvckpt,
/// curve.png, &lt;name&gt;_params.bin and &lt;name&gt;_bn_stats.bin (the book's flat float32 layouts).
/// </summary>
public sealed record TrainOptions
{
    public string? DataDir { get; init; }
    public string OutDir { get; init; } = "runs";
    public string? TracePath { get; init; }
    public string? CheckpointPath { get; init; }
    public string? ResumePath { get; init; }

    /// <summary>Stop after this many global steps (a checkpoint is written there, so the run can be resumed).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>The book's code shuffles every epoch; off keeps file order (the original's LEAN_MLIR_NO_SHUFFLE).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Gradients from the libtorch autograd twin instead of the hand-derived graph (to compare; never the default).</summary>
    public bool Autograd { get; init; }

    public Device Device { get; init; } = CPU;
    public ScalarType Dtype { get; init; } = ScalarType.Float32;

    /// <summary>Where the book's log lines go (stderr in the CLI).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Draw a per-epoch progress bar on <see cref="Log"/> (only sensible on a terminal).</summary>
    public bool ProgressBar { get; init; }

    /// <summary>Write the training-curve PNG at the end.</summary>
    public bool Plot { get; init; } = true;

    public string Trace => TracePath ?? Path.Combine(OutDir, "trace.jsonl");
    public string Checkpoint => CheckpointPath ?? Path.Combine(OutDir, "checkpoint.lmvckpt");
}

/// <summary>What a finished (or stopped) run reports.</summary>
public sealed record TrainResult(long Steps, int EpochsCompleted, int Correct, int Evaluated, IReadOnlyList<string> Files)
{
    public double Accuracy => Evaluated == 0 ? double.NaN : 100.0 * Correct / Evaluated;
}

/// <summary>The loss became NaN or infinite: the run stops there, the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(long step, int epoch, int batch, double loss, string checkpoint)
    : Exception($"loss is {loss} at step {step} (epoch {epoch + 1}, batch {batch}): training stopped; "
        + (File.Exists(checkpoint) ? $"the last good checkpoint is {checkpoint}" : "no checkpoint was written before it"))
{
    public long Step { get; } = step;
}
