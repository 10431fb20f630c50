using System.Runtime.Versioning;

namespace LeanMlirVerify.FiniteDifference.Tools;

/// <summary>A test whose program is missing is skipped with the package to install (issue 12: it used to pass).</summary>
[UnsupportedOSPlatform("windows")] // the fake programs are told apart by their Unix execute bits
public class FactNeedingProgramTests : IDisposable
{
    readonly string _bin = Path.Combine(Path.GetTempPath(), "lmv-path-test-" + Guid.NewGuid().ToString("N"));

    public FactNeedingProgramTests() => Directory.CreateDirectory(_bin);

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    string FakeProgram(string name, UnixFileMode mode)
    {
        string file = Path.Combine(_bin, name);
        File.WriteAllText(file, "#!/bin/sh\n");
        File.SetUnixFileMode(file, mode);
        return file;
    }

    [Fact]
    public void APathWithoutDot_GivesTheSkipReason()
    {
        string path = string.Join(Path.PathSeparator, _bin, Path.Combine(_bin, "missing"));
        Assert.Null(ProgramOnPath.Find("dot", path));
        Assert.Equal("'dot' is not on PATH; install graphviz to run this test", ProgramOnPath.SkipReason("dot", "graphviz", path));
        Assert.Equal("'dot' is not on PATH; install graphviz to run this test", ProgramOnPath.SkipReason("dot", "graphviz", null));
    }

    [Fact]
    public void APathWithAnExecutableDot_RunsTheTest()
    {
        string dot = FakeProgram("dot", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = string.Join(Path.PathSeparator, Path.Combine(_bin, "missing"), _bin);
        Assert.Equal(dot, ProgramOnPath.Find("dot", path));
        Assert.Null(ProgramOnPath.SkipReason("dot", "graphviz", path));
    }

    [Fact]
    public void AFileNamedDotThatIsNotExecutable_DoesNotCount()
    {
        FakeProgram("dot", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(ProgramOnPath.Find("dot", _bin));
    }

    [Fact]
    public void TheAttribute_SetsSkip_ForAProgramNotOnPath_AndNotForOneThatIs()
    {
        var missing = new FactNeedingProgramAttribute("lmv-no-such-program", "nothing");
        Assert.Equal("'lmv-no-such-program' is not on PATH; install nothing to run this test", missing.Skip);
        Assert.Null(new FactNeedingProgramAttribute("sh", "a shell").Skip);
    }
}
