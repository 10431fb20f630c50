using LeanMlirVerify.Training.Runs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// How to run one training job. Paths default under <see cref="OutDir"/>: trace.jsonl, checkpoint.lmvckpt,
/// curve.png, &lt;name&gt;_params.bin and, for a net with BN, &lt;name&gt;_bn_stats.bin (the book's flat float32 layouts).
/// The rules for a folder that already holds a run are <see cref="RunFolder"/>'s.
/// </summary>
public sealed record TrainOptions
{
    public string? DataDir { get; init; }
    public string OutDir { get; init; } = "runs";
    public string? TracePath { get; init; }
    public string? CheckpointPath { get; init; }

    /// <summary>Continue from this checkpoint, or from the checkpoint.lmvckpt of this run folder.</summary>
    public string? ResumePath { get; init; }

    /// <summary>Replace the run that <see cref="OutDir"/> holds (only its files are removed); without it such a run is refused.</summary>
    public bool Overwrite { get; init; }

    /// <summary>How outputs are written (a seam: tests simulate a full disk or a read-only folder).</summary>
    public RunFiles Files { get; init; } = RunFiles.Disk;

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

/// <summary>
/// The loss became NaN or infinite: the run stops there, the last good checkpoint is kept. The message names a checkpoint
/// only when this run wrote it (or resumed from it), never one that an earlier run left in the folder.
/// </summary>
public sealed class TrainingDivergedException(long step, int epoch, int batch, double loss, string? checkpoint)
    : Exception($"loss is {loss} at step {step} (epoch {epoch + 1}, batch {batch}): training stopped; "
        + (checkpoint is null ? "no checkpoint of this run was written before it" : $"the last good checkpoint is {checkpoint}"))
{
    public long Step { get; } = step;
}
