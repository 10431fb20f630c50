using System.Diagnostics;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Checks;

/// <summary>
/// The autograd families of <c>lmv check</c> (per-rule oracle, differential) pass on the rules as they are and fail on a
/// mutant; the family list is what the command prints; and the command itself runs, prints and exits as documented.
/// </summary>
[Collection(Rules.OracleCollection.Name)]
public class OracleFamilyTests(ITestOutputHelper output)
{
    FamilyResult Run(CheckFamily family, Mutant? mutant = null)
    {
        var result = mutant is null ? family.Run() : mutant.Run(family);
        foreach (var line in result.Report(mutant?.Id)) output.WriteLine(line);
        return result;
    }

    [Fact]
    public void RuleOracleFamily_PassesOnEveryCase()
    {
        // Counted: a family with no row in scope would pass vacuously.
        var result = Run(OracleFamilies.RuleOracle());
        Assert.Equal(RuleOracleCases.All.Count, result.Rows.Count);
        Assert.True(result.Passed);
    }

    [Fact]
    public void DifferentialFamily_PassesInBothDtypes()
    {
        var result = Run(OracleFamilies.Differential());
        Assert.True(result.Passed);
        Assert.Equal(2 * DifferentialCatalog.All.Count, result.Rows.Count);
    }

    [Fact]
    public void RuleOracleFamily_FailsOnAKinkMutant() =>
        Assert.False(Run(OracleFamilies.RuleOracle(), MutantCatalog.Get("relu-kink-one")).Passed);

    [Fact]
    public void DifferentialFamily_FailsOnAResidualWithoutItsIdentityPath() =>
        Assert.False(Run(OracleFamilies.Differential(), MutantCatalog.Get("residual-drops-identity")).Passed);

    [Fact]
    public void LmvCheck_RunsEveryFamilyInOrder() =>
        Assert.Equal([VjpFamilies.SymbolicName, VjpFamilies.BookName, VjpFamilies.ConfigurationsName, VjpFamilies.PropertyName,
            OracleFamilies.RuleOracleName, OracleFamilies.DifferentialName], CheckFamilies.All().Select(f => f.Name));

    (int Code, string Out) Lmv(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "lmv.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output.WriteLine(stdout.Result + stderr.Result);
        return (process.ExitCode, stdout.Result);
    }

    [Fact]
    public void LmvCheckOracle_PrintsTheFamilyTableAndExitsZero()
    {
        var (code, text) = Lmv("check", "--oracle");
        Assert.Equal(0, code);
        Assert.Contains(OracleFamilies.RuleOracleName, text);
        Assert.Contains("all within their bounds", text);
    }

    [Fact]
    public void LmvCheckMutant_NamesTheFamiliesThatKilledIt()
    {
        var (code, text) = Lmv("check", "--mutant", "maxpool-crop-high-side");
        Assert.Equal(0, code);
        Assert.Contains("1 mutants, 1 killed", text);
        Assert.Contains(VjpFamilies.ConfigurationsName, text);
    }
}
