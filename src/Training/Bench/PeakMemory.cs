using System.Runtime.InteropServices;

namespace LeanMlirVerify.Training.Bench;

/// <summary>
/// Peak resident memory of one call on Linux, from the kernel's per-process counters: hand freed heap pages back
/// (<c>malloc_trim</c>, so memory an earlier call freed but glibc kept is not counted as already there), reset the
/// high-water mark (write 5 to /proc/self/clear_refs), read VmRSS, run, read VmHWM. The figure is VmHWM − VmRSS
/// before: what the call added at its peak (libtorch's tensors and scratch, the runtime's allocations). NaN where
/// the counters cannot be reset or read (not Linux, a locked-down /proc).
/// </summary>
public static class PeakMemory
{
    const string Status = "/proc/self/status";
    const string ClearRefs = "/proc/self/clear_refs";

    /// <summary>Bytes the call added to the resident set at its peak, or NaN when this system cannot tell.</summary>
    public static double Of(Action call)
    {
        if (!OperatingSystem.IsLinux() || !TryReset()) return double.NaN;
        var before = ReadKb("VmRSS");
        call();
        var peak = ReadKb("VmHWM");
        return double.IsNaN(before) || double.IsNaN(peak) ? double.NaN : Math.Max(0, peak - before) * 1024;
    }

    static bool TryReset()
    {
        try
        {
            MallocTrim(0);
            File.WriteAllText(ClearRefs, "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A "Name:   1234 kB" line of /proc/self/status, in kB.</summary>
    static double ReadKb(string name)
    {
        foreach (var line in File.ReadLines(Status))
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
                return double.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return double.NaN;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);
}
