using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>
/// The finite-difference families as <c>lmv check</c> runs them: each passes on the rules as they are, and each fails
/// on a mutant it is meant to catch. The book's 25 checks are kept as the book wrote them, so they miss the realistic
/// bugs that need batch &gt; 1, asymmetric padding, label smoothing, a γ gradient or the tanh GELU; the stated
/// configurations catch every one of those.
/// </summary>
public class FdFamilyTests(ITestOutputHelper output)
{
    FamilyResult Run(CheckFamily family, Mutant? mutant = null)
    {
        var result = mutant is null ? family.Run() : mutant.Run(family);
        foreach (var line in result.Report(mutant?.Id, failuresOnly: true)) output.WriteLine(line);
        return result;
    }

    // A family with no row in scope passes (a mutant may reach none of its cases), so a full run's test counts its rows.
    [Fact]
    public void BookFamily_PassesOnTheRulesAsTheyAre()
    {
        var result = Run(VjpFamilies.Book);
        Assert.Equal(25, result.Rows.Count);
        Assert.True(result.Passed);
    }

    [Fact]
    public void ConfigurationsFamily_PassesOnTheRulesAsTheyAre()
    {
        var result = Run(VjpFamilies.Configurations);
        Assert.Equal(FdConfigurations.All.Count, result.Rows.Count);
        Assert.True(result.Passed);
    }

    [Fact]
    public void FamilyWithNoCaseInScope_PassesWithNoRows_SoThePassingTestsCountRows()
    {
        var result = VjpFamilies.Configurations.Run(new CheckScope { Reaches = _ => false });
        Assert.Empty(result.Rows);
        Assert.True(result.Passed);
        Assert.False(result.Reached);
    }

    [Fact]
    public void PropertyFamily_PassesOnEveryCatalogRuleAtItsSeeds()
    {
        var result = Run(VjpFamilies.Property);
        Assert.True(result.Passed);
        Assert.Equal(LeanMlirVerify.Vjp.Catalog.RuleCatalog.All.Select(e => e.Id).ToHashSet(), result.Rows.Select(r => r.Rule).ToHashSet());
    }

    [Theory]
    [InlineData(VjpFamilies.BookName, "bn-normalize-no-mean-term")]
    [InlineData(VjpFamilies.ConfigurationsName, "maxpool-crop-high-side")]
    [InlineData(VjpFamilies.PropertyName, "dense-dw-first-example")]
    public void Family_FailsOnAMutantItIsMeantToCatch(string family, string mutant) =>
        Assert.False(Run(VjpFamilies.All.Single(f => f.Name == family), MutantCatalog.Get(mutant)).Passed);

    [Theory]
    [InlineData("dense-dw-first-example"), InlineData("softmax-ce-no-smoothing"), InlineData("conv-same-padding-swapped")]
    [InlineData("maxpool-crop-high-side"), InlineData("gelu-tanh-cubic-constant"), InlineData("bn-dgamma-scaled")]
    [InlineData("layernorm-no-variance-path"), InlineData("residual-drops-identity")]
    public void RealisticMutant_MissedByTheBookChecks_IsKilledByTheStatedConfigurations(string id)
    {
        var mutant = MutantCatalog.Get(id);
        Assert.True(Run(VjpFamilies.Book, mutant).Passed, $"the book's checks were expected to miss {id}");
        Assert.False(Run(VjpFamilies.Configurations, mutant).Passed);
    }
}
