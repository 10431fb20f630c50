using System.Diagnostics;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.FiniteDifference.Tools;

namespace LeanMlirVerify.FiniteDifference.Ci;

/// <summary>.ci/summary.awk, the closing line of .ci/run, run on sample `dotnet test` logs.</summary>
public class CiSummaryTests
{
    static string Summarize(string log)
    {
        string root = LedgerLocation.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the repository");
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, log);
            var start = new ProcessStartInfo("awk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "-f", Path.Combine(root, ".ci", "summary.awk"), file }) start.ArgumentList.Add(arg);
            using var awk = Process.Start(start)!;
            string output = awk.StandardOutput.ReadToEnd();
            awk.WaitForExit();
            Assert.True(awk.ExitCode == 0, awk.StandardError.ReadToEnd());
            return output;
        }
        finally { File.Delete(file); }
    }

    const string TwoAssemblies = """
        Test run for /repo/tests/FiniteDifference/bin/Debug/net10.0/LeanMlirVerify.FiniteDifference.dll (.NETCoreApp,Version=v10.0)
          Skipped LeanMlirVerify.FiniteDifference.Ledger.LedgerGraphTests.Dot_RendersWithGraphviz [1 ms]
        Passed!  - Failed:     0, Passed:   702, Skipped:     1, Total:   703, Duration: 62 s - LeanMlirVerify.FiniteDifference.dll
          Failed LeanMlirVerify.Oracle.Bench.StepBenchmarkTests.Something [12 ms]
          Passed: 3 of them, Skipped: 9 (a line that is not a result line)
        Failed!  - Failed:     2, Passed:   770, Skipped:     3, Total:   775, Duration: 4 m - LeanMlirVerify.Oracle.dll (net10.0)
        """;

    [FactNeedingProgram("awk", "an awk (mawk or gawk)")]
    public void SumsPassedFailedAndSkipped_OverEveryAssembly()
    {
        Assert.Equal("1472 passed, 2 failed, 4 skipped\n", Summarize(TwoAssemblies));
    }

    [FactNeedingProgram("awk", "an awk (mawk or gawk)")]
    public void AddsTheSamplesChecks_ToTheTestAssemblies()
    {
        Assert.Equal("1484 passed, 3 failed, 4 skipped\n",
            Summarize(TwoAssemblies + "\nsamples: ok   the correct backward passes\nsamples: 12 passed, 1 failed\n"));
    }

    [FactNeedingProgram("awk", "an awk (mawk or gawk)")]
    public void ALogWithoutResultLines_SaysZeroOfEach()
    {
        Assert.Equal("0 passed, 0 failed, 0 skipped\n", Summarize("Build FAILED.\n  error CS1002: ; expected\n"));
    }
}
