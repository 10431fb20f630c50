using System.Globalization;
using LeanMlirVerify.Training.Runs;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The rules of a run's output folder, applied before the first step. A new run never replaces an earlier one unless
/// told to (<see cref="TrainOptions.Overwrite"/>); a resume continues only its own run; every folder the run writes to
/// is created and takes a write, and has room for the checkpoint and the parameters, so that a bad <c>--out</c> fails
/// at once rather than after an epoch. <see cref="Check"/> writes nothing; <see cref="Prepare"/> does the writing.
/// </summary>
public sealed class RunFolder(TrainOptions options, string fileStem)
{
    public const string CheckpointName = "checkpoint.lmvckpt", CurveName = "curve.png";

    public string ParamsPath => Path.Combine(options.OutDir, fileStem + "_params.bin");
    public string BnStatsPath => Path.Combine(options.OutDir, fileStem + "_bn_stats.bin");
    public string CurvePath => Path.Combine(options.OutDir, CurveName);

    /// <summary>Every file a run writes; one that exists means the folder holds a run.</summary>
    public IReadOnlyList<string> Artefacts => [options.Trace, options.Checkpoint, ParamsPath, BnStatsPath, CurvePath];

    /// <summary>The checkpoint that <c>--resume PATH</c> names: PATH itself, or checkpoint.lmvckpt when PATH is a run folder.</summary>
    public static string ResumeCheckpoint(string resume) => Directory.Exists(resume) ? Path.Combine(resume, CheckpointName) : resume;

    /// <summary>
    /// The head (spec, dataset, dtype, config, epoch, step) of the checkpoint <c>--resume PATH</c> names, to merge the
    /// flags given again with it before the run starts; a PATH with no checkpoint is refused.
    /// </summary>
    public static Checkpoint ResumeHead(string resume)
    {
        string checkpoint = ResumeCheckpoint(resume);
        if (!File.Exists(checkpoint)) throw NoCheckpoint(resume);
        return Checkpoint.ReadHead(checkpoint);
    }

    static RunFolderException NoCheckpoint(string resume) =>
        new($"--resume {resume}: no checkpoint there (expected a checkpoint file, or a run folder holding {CheckpointName})");

    /// <summary>Refuses, writing nothing, a run that would replace or mix with another run, or whose paths cannot work.</summary>
    public void Check()
    {
        if (options.ResumePath is not null && options.Overwrite)
            throw new RunFolderException("--resume and --overwrite together: --resume continues a run, --overwrite replaces it; give one");
        CheckIsFolder(options.OutDir, "--out");
        CheckIsFile(options.Trace, "--trace");
        CheckIsFile(options.Checkpoint, "--checkpoint");
        var existing = Artefacts.Where(File.Exists).ToList();
        if (options.ResumePath is { } given)
        {
            string checkpoint = ResumeCheckpoint(given);
            if (!File.Exists(checkpoint)) throw NoCheckpoint(given);
            if (File.Exists(options.Checkpoint) && !SameFile(options.Checkpoint, checkpoint))
                throw new RunFolderException($"{options.Checkpoint} belongs to another run than {checkpoint}: resume into the "
                    + $"checkpoint's own folder (--out {Path.GetDirectoryName(Path.GetFullPath(checkpoint))}) or into a new --out");
        }
        else if (existing.Count > 0 && !options.Overwrite)
        {
            string files = string.Join(", ", existing.Select(Show));
            throw new RunFolderException(File.Exists(options.Checkpoint)
                ? $"{options.OutDir} already holds a run ({files}): continue it with --resume {ResumeHint()}, "
                    + "or replace it with --overwrite"
                : $"{options.OutDir} already holds a run without a checkpoint ({files}): replace it with --overwrite, "
                    + "or choose another --out");
        }
    }

    /// <summary>
    /// Creates the folders, removes temp files an interrupted save left and, with <see cref="TrainOptions.Overwrite"/>,
    /// the earlier run's files; then writes a probe file in each folder and checks that the checkpoint
    /// (<paramref name="checkpointBytes"/>, twice while the next one is written) and the parameter files
    /// (<paramref name="outputBytes"/>) fit. Returns the log lines that say what it removed.
    /// </summary>
    public IReadOnlyList<string> Prepare(long checkpointBytes, long outputBytes)
    {
        var log = new List<string>();
        var folders = new[] { Path.GetFullPath(options.OutDir), Folder(options.Trace), Folder(options.Checkpoint) }.Distinct().ToList();
        foreach (var folder in folders) CreateFolder(folder);
        var probes = folders.SelectMany(f => Directory.GetFiles(f, ".lmv-probe-*.tmp"));
        var orphans = Artefacts.SelectMany(OrphansOf).Concat(probes).Distinct().ToList();
        foreach (var orphan in orphans) Delete(orphan);
        if (orphans.Count > 0)
            log.Add($"  removed {orphans.Count} temp file(s) an interrupted save left: {string.Join(", ", orphans.Select(Show))}");
        if (options.Overwrite && Artefacts.Where(File.Exists).ToList() is { Count: > 0 } earlier)
        {
            foreach (var file in earlier) Delete(file);
            log.Add($"  --overwrite: removed the earlier run's {string.Join(", ", earlier.Select(Show))}");
        }
        var need = new Dictionary<string, long>();
        foreach (var folder in folders) need[folder] = 0;
        need[Folder(options.Checkpoint)] += checkpointBytes * (File.Exists(options.Checkpoint) ? 1 : 2);
        need[Path.GetFullPath(options.OutDir)] += outputBytes;
        foreach (var (folder, bytes) in need) Probe(folder, bytes);
        return log;
    }

    void Probe(string folder, long bytes)
    {
        string probe = Path.Combine(folder, $".lmv-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            using var stream = options.Files.Create(probe);
            stream.Write(new byte[4096]);
        }
        catch (Exception e) when (RunIoException.IsIo(e))
        {
            throw new RunIoException(folder, $"cannot write in it: {RunIoException.Cause(e)}");
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe);
        }
        if (options.Files.FreeBytes(folder) is { } free && free < bytes)
            throw new RunIoException(folder, $"not enough space: {Megabytes(free)} free, the run needs at least {Megabytes(bytes)} "
                + "(the checkpoint and its next copy, the parameters)");
    }

    void CreateFolder(string folder)
    {
        try { options.Files.CreateFolder(folder); }
        catch (Exception e) when (RunIoException.IsIo(e))
        {
            string? file = FileAncestor(folder);
            throw new RunIoException(folder, $"cannot create it: {(file is null ? RunIoException.Cause(e) : file + " is a file")}");
        }
    }

    static void Delete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (RunIoException.IsIo(e))
        {
            throw new RunIoException(path, $"cannot remove it: {RunIoException.Cause(e)}");
        }
    }

    static void CheckIsFolder(string path, string flag)
    {
        if (File.Exists(path)) throw new RunIoException(path, $"is a file, not a folder ({flag})");
        if (FileAncestor(path) is { } file) throw new RunIoException(path, $"cannot create it: {file} is a file ({flag})");
    }

    static void CheckIsFile(string path, string flag)
    {
        if (Directory.Exists(path)) throw new RunIoException(path, $"is a folder, not a file ({flag})");
        if (!FileKind.IsRegularOrAbsent(path)) throw new RunIoException(path, $"is a device, pipe or socket, not a file ({flag})");
        if (FileAncestor(Folder(path)) is { } file) throw new RunIoException(path, $"cannot create it: {file} is a file ({flag})");
    }

    /// <summary>The nearest existing ancestor of <paramref name="path"/> (itself included) when it is a file.</summary>
    static string? FileAncestor(string path)
    {
        for (string? p = Path.GetFullPath(path); p is not null; p = Path.GetDirectoryName(p))
        {
            if (File.Exists(p)) return p;
            if (Directory.Exists(p)) return null;
        }
        return null;
    }

    static IEnumerable<string> OrphansOf(string artefact)
    {
        string folder = Folder(artefact), name = Path.GetFileName(artefact);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder).Where(f => AtomicFile.IsTempOf(Path.GetFileName(f), name)).Order();
    }

    static string Folder(string file) => Path.GetDirectoryName(Path.GetFullPath(file))!;

    static bool SameFile(string a, string b) => Path.GetFullPath(a) == Path.GetFullPath(b);

    string Show(string path) => Folder(path) == Path.GetFullPath(options.OutDir) ? Path.GetFileName(path) : path;

    string ResumeHint() => SameFile(options.Checkpoint, Path.Combine(options.OutDir, CheckpointName)) ? options.OutDir : options.Checkpoint;

    static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}

/// <summary>A run refused because of what its folder holds or how it was asked to resume (exit code 2).</summary>
public sealed class RunFolderException(string message) : Exception(message);
