using System.Runtime.InteropServices;

namespace LeanMlirVerify.Training.Runs;

/// <summary>
/// The file operations that write a run's outputs. A seam: tests replace it to simulate a full disk or a read-only
/// folder, which they cannot produce otherwise (they run as root, whom chmod does not stop, and cannot mount).
/// </summary>
public class RunFiles
{
    public static RunFiles Disk { get; } = new();

    /// <summary>A new file for writing; fails if it exists. Unbuffered, so a failed write is not retried on dispose.</summary>
    public virtual Stream Create(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1);

    /// <summary>An existing (or new) file opened for appending, unbuffered.</summary>
    public virtual Stream Append(string path) => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1);

    public virtual void Move(string from, string to) => File.Move(from, to, overwrite: true);

    public virtual void CreateFolder(string path) => Directory.CreateDirectory(path);

    /// <summary>Free bytes on the file system that holds <paramref name="folder"/>, or null when the system does not say.</summary>
    public virtual long? FreeBytes(string folder)
    {
        try { return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }
}

/// <summary>What kind of file a path is, where .NET cannot tell (it reports /dev/null as a plain file).</summary>
public static class FileKind
{
    /// <summary>
    /// False for an existing device, pipe or socket, which a run must never rename over or delete (as root it could
    /// replace /dev/null); true otherwise, and wherever the system call is missing (not Linux), where it cannot tell.
    /// </summary>
    public static bool IsRegularOrAbsent(string path)
    {
        if (!File.Exists(path) || !OperatingSystem.IsLinux()) return true;
        var buffer = new byte[256]; // struct statx: the same layout on every Linux architecture, stx_mode at byte 28
        try
        {
            if (Statx(-100 /* AT_FDCWD */, path, 0, 1 /* STATX_TYPE */, buffer) != 0) return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return true; }
        int mode = BitConverter.ToUInt16(buffer, 28);
        return (mode & 0xF000) == 0x8000; // S_IFMT, S_IFREG
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);
}

/// <summary>Whole-file writes that leave either the old file or the new one, never a part of one.</summary>
public static class AtomicFile
{
    /// <summary>The temp name beside <paramref name="path"/>: hidden, unique, recognisable by <see cref="IsTempOf"/>.</summary>
    public static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>True for a temp file that a save of <paramref name="fileName"/> leaves when it is killed.</summary>
    public static bool IsTempOf(string tempName, string fileName) =>
        tempName == fileName + ".tmp" // the name before temp names were unique
        || tempName.StartsWith($".{fileName}.", StringComparison.Ordinal) && tempName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>
    /// Writes to a temp file in the same folder, flushes it to disk, then renames it over <paramref name="path"/>; any
    /// I/O failure throws <see cref="RunIoException"/> naming <paramref name="path"/>, with the temp file removed.
    /// </summary>
    public static void Write(string path, Action<Stream> write, RunFiles? files = null)
    {
        files ??= RunFiles.Disk;
        string tmp = TempPath(path);
        try
        {
            using (var stream = files.Create(tmp))
            {
                write(stream);
                stream.Flush();
                if (stream is FileStream fs) fs.Flush(flushToDisk: true);
            }
            files.Move(tmp, Path.GetFullPath(path));
        }
        catch (Exception e) when (RunIoException.IsIo(e))
        {
            throw new RunIoException(path, e);
        }
        finally
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); }
            catch (Exception e) when (RunIoException.IsIo(e)) { } // the next start removes it (RunFolder)
        }
    }
}

/// <summary>A run's output could not be written: one line naming the file and the cause (exit code 5).</summary>
public sealed class RunIoException : IOException
{
    public RunIoException(string path, Exception cause) : this(path, $"cannot write it: {Cause(cause)}", "", cause) { }

    public RunIoException(string path, string problem) : this(path, problem, "", null) { }

    RunIoException(string path, string problem, string suffix, Exception? inner) : base($"{path}: {problem}{suffix}", inner)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }
    public string Problem { get; }

    /// <summary>The same failure with what it means for the run (where it stopped, which checkpoint is good).</summary>
    public RunIoException WithContext(string suffix) => new(Path, Problem, suffix, InnerException);

    public static bool IsIo(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>The cause in a few words, without the path that .NET's own messages repeat.</summary>
    public static string Cause(Exception e) => e switch
    {
        RunIoException r => r.Problem,
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: 28 } => "no space left on device",
        IOException { HResult: 30 } => "read-only file system",
        IOException { HResult: 122 } => "disk quota exceeded",
        DirectoryNotFoundException => "its folder does not exist",
        _ => e.Message.TrimEnd('.'),
    };
}
