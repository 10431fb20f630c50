namespace LeanMlirVerify.FiniteDifference.Tools;

/// <summary>
/// A fact that runs an external program. Without the program on PATH the test is reported as skipped, naming the
/// package to install, instead of returning early and counting as passed: xunit 2 cannot skip from inside a test, so
/// the decision is made here, when the test is discovered.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactNeedingProgramAttribute : FactAttribute
{
    public FactNeedingProgramAttribute(string program, string package) =>
        Skip = ProgramOnPath.SkipReason(program, package, Environment.GetEnvironmentVariable("PATH"));
}

/// <summary>Looks a program up on a PATH value the way a shell does: the first folder holding an executable of that name.</summary>
public static class ProgramOnPath
{
    public static string? Find(string program, string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(IsExecutable);

    /// <summary>Null when <paramref name="program"/> is on <paramref name="path"/>; otherwise the reason the test is skipped.</summary>
    public static string? SkipReason(string program, string package, string? path) =>
        Find(program, path) is null ? $"'{program}' is not on PATH; install {package} to run this test" : null;

    static bool IsExecutable(string file)
    {
        if (!File.Exists(file)) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }
}
