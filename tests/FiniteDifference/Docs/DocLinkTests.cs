using System.Diagnostics;
using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.FiniteDifference.Docs;

/// <summary>Every relative link in README.md and docs/ resolves (docs/check-links.sh), and the check can fail.</summary>
public class DocLinkTests
{
    static string Root =>
        LedgerLocation.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the repository");

    static (int Code, string Output) CheckLinks(string root)
    {
        var run = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "docs", "check-links.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = run.StandardOutput.ReadToEnd() + run.StandardError.ReadToEnd();
        run.WaitForExit();
        return (run.ExitCode, output);
    }

    [Fact]
    public void ReadmeAndDocs_HaveNoBrokenRelativeLinks()
    {
        var (code, output) = CheckLinks(Root);
        Assert.True(code == 0, output);
        Assert.Matches(@"\d+ relative links checked, 0 broken", output);
    }

    [Fact]
    public void BrokenLinkAndMissingHeading_AreReported()
    {
        var dir = Directory.CreateTempSubdirectory("lmv-links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "docs"));
            File.Copy(Path.Combine(Root, "docs", "check-links.sh"), Path.Combine(dir, "docs", "check-links.sh"));
            File.WriteAllText(Path.Combine(dir, "README.md"), "# Title\n\n[gone](docs/gone.md) [here](#title) [no](#nowhere)\n");
            var (code, output) = CheckLinks(dir);
            Assert.Equal(1, code);
            Assert.Contains("README.md: broken link: docs/gone.md", output);
            Assert.Contains("README.md: no heading for #nowhere in README.md", output);
            Assert.Contains("3 relative links checked, 2 broken", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
