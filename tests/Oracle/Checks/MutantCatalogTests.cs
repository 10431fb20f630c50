using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Checks;

/// <summary>
/// The mutation score as a test: every mutant of the rules (applied in memory), of the twin and of the closed forms is
/// killed by the check families that <c>lmv check</c> runs (the same library families, the same cases and bounds).
/// </summary>
[Collection(Rules.OracleCollection.Name)]
public class MutantCatalogTests(ITestOutputHelper output)
{
    static readonly IReadOnlyList<CheckFamily> Families = MutationRun.MutantOrder(CheckFamilies.All());

    public static TheoryData<string> RuleMutants() => [.. MutantCatalog.All.Select(m => m.Id)];
    public static TheoryData<string> TwinMutantIds() => [.. TwinMutants.All.Select(m => m.Id)];
    public static TheoryData<string> WrongClosedForms() => [.. DerivationCatalog.Negatives.Select(d => d.Item)];

    void Print(MutantOutcome outcome)
    {
        output.WriteLine($"{outcome.Id} [{outcome.Subject} {outcome.Rule}]: {outcome.Description}");
        foreach (var f in outcome.Families) output.WriteLine($"  {f.Family}: {f.Verdict} {f.Detail}");
    }

    [Theory, MemberData(nameof(RuleMutants))]
    public void RuleMutant_IsKilledByTheCheckFamilies(string id)
    {
        var outcome = MutationRun.Run(MutantCatalog.Get(id), Families);
        Print(outcome);
        Assert.True(outcome.Killed, $"{id} survived every family");
    }

    [Theory, MemberData(nameof(TwinMutantIds))]
    public void TwinMutant_FailsTheRuleOracle(string id)
    {
        var outcome = MutationRun.Run(TwinMutants.All.Single(m => m.Id == id));
        Print(outcome);
        Assert.Equal([OracleFamilies.RuleOracleName], outcome.KilledBy);
    }

    [Theory, MemberData(nameof(WrongClosedForms))]
    public void WrongClosedForm_FailsTheSymbolicCheck(string item)
    {
        var outcome = MutationRun.Run(DerivationCatalog.Negatives.Single(d => d.Item == item));
        Print(outcome);
        Assert.Equal([VjpFamilies.SymbolicName], outcome.KilledBy);
    }

    [Theory]
    [InlineData("dense-dw-first-example"), InlineData("bn-normalize-no-mean-term"), InlineData("softmax-ce-no-smoothing")]
    [InlineData("conv-same-padding-swapped"), InlineData("maxpool-crop-high-side"), InlineData("gelu-tanh-cubic-constant")]
    [InlineData("layernorm-no-variance-path"), InlineData("attention-scale-missing"), InlineData("residual-drops-identity")]
    [InlineData("bn-dgamma-scaled")]
    public void RealisticMutant_IsKilledByTheFiniteDifferenceFamiliesAlone(string id)
    {
        // lmv check --fd: the book's checks as written, then the stated configurations and the properties.
        var outcome = MutationRun.Run(MutantCatalog.Get(id), CheckFamilies.FiniteDifferences);
        Print(outcome);
        Assert.True(outcome.Killed);
    }

    [Theory]
    [InlineData("relu-kink-one"), InlineData("relu6-kink-six"), InlineData("hard-swish-kink-ramp"), InlineData("hard-sigmoid-kink-ramp")]
    [InlineData("maxpool-ties-last")]
    public void KinkMutant_IsKilledByTheRuleOracleAtExactKinks(string id)
    {
        // Finite differences sample away from kinks; only the oracle's exact-kink cases see the convention.
        var outcome = MutationRun.Run(MutantCatalog.Get(id), Families);
        Print(outcome);
        Assert.Contains(OracleFamilies.RuleOracleName, outcome.KilledBy);
        Assert.Equal(Verdict.Survived, outcome.For(VjpFamilies.PropertyName));
    }
}
