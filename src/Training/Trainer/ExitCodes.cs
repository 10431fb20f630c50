using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The exit codes of every <c>lmv</c> command (docs/training-runs.md): 0 done, 1 bad input (a spec, data file,
/// checkpoint or trace that is malformed or does not fit) or a failed check / ledger finding, 2 usage (a flag, a value,
/// an unknown name, a run folder that holds a run, a resume that differs), 3 data not found, 4 the loss diverged,
/// 5 an output that cannot be written.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0, BadInput = 1, Failed = 1, Usage = 2, DataNotFound = 3, Diverged = 4, Io = 5;

    /// <summary>The code for an exception the trainer reports in one line; null for one it does not expect (a bug).</summary>
    public static int? For(Exception e) => e switch
    {
        DataNotFoundException => DataNotFound,
        TrainingDivergedException => Diverged,
        RunFolderException or ResumeConflictException or ArgumentException or DeviceUnavailableException => Usage,
        DataFormatException or SpecException or SpecFileException or NotSupportedException or InvalidDataException or FormatException
            or FileNotFoundException => BadInput,
        IOException or UnauthorizedAccessException => Io,
        _ => null,
    };
}
