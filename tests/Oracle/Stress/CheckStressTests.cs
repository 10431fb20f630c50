using LeanMlirVerify.Training.Comparisons;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// The check families while another thread forces garbage collections and finalizers: the book's finite-difference
/// checks, the rule catalog's property checks, the per-rule autograd oracle and the differential cases. Every check
/// passes and every measured error has bitwise the value it has without the stress.
/// </summary>
[Trait("Category", "Stress")]
public class CheckStressTests(ITestOutputHelper output)
{
    [Fact]
    public void BookFiniteDifferenceChecks_SameErrorsUnderGcStress() => StressRun.Compare(CheckWorkloads.BookChecks, output);

    [Fact]
    public void RuleCatalogProperties_SameErrorsUnderGcStress() =>
        StressRun.Compare(() => CheckWorkloads.RuleCatalogProperties(cases: 1), output);

    [Fact]
    public void RuleOracle_SameErrorsUnderGcStress() => StressRun.Compare(CheckWorkloads.RuleOracle, output);

    /// <summary>Every differential case in float32 (the trainer's dtype); float64 as well in the soak.</summary>
    [Fact]
    public void DifferentialCases_SameLossesAndErrorsUnderGcStress() =>
        StressRun.Compare(() => CheckWorkloads.Differential(DifferentialCatalog.All.Select(c => c.Name), ScalarType.Float32), output,
            TimeSpan.Zero);
}

/// <summary>The soak's share of the checks: every catalog entry at all its property cases, the differential cases in both dtypes.</summary>
[Trait("Category", "Soak")]
public class CheckSoakTests(ITestOutputHelper output)
{
    [SoakFact]
    public void RuleCatalogAllPropertyCases_SameErrorsUnderGcStress() =>
        StressRun.Compare(() => CheckWorkloads.RuleCatalogProperties(cases: int.MaxValue), output, TimeSpan.FromSeconds(10));

    [SoakFact]
    public void DifferentialCasesBothDtypes_SameLossesAndErrorsUnderGcStress() =>
        StressRun.Compare(() => CheckWorkloads.Differential(
            DifferentialCatalog.All.Select(c => c.Name), ScalarType.Float64, ScalarType.Float32), output, TimeSpan.FromSeconds(10));

    [SoakFact]
    public void BookChecksAndRuleOracle_SameErrorsUnderGcStress()
    {
        StressRun.Compare(CheckWorkloads.BookChecks, output, TimeSpan.FromSeconds(10));
        StressRun.Compare(CheckWorkloads.RuleOracle, output, TimeSpan.FromSeconds(10));
    }
}
