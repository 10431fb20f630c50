using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Checking.Mutants;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Checking;

/// <summary>
/// The mutant catalog as data: one mutant at least per catalog rule, each reaching its own rule, and a mutant alters a
/// pullback only inside <see cref="Mutant.Within{T}"/>, on that flow, and never after it (so no check or training run
/// outside can see one).
/// </summary>
public class MutantScopeTests
{
    static readonly Mutant DenseBiasMean = MutantCatalog.Get("dense-db-mean");

    /// <summary>The bias cotangent of a fresh dense layer at batch 3 (the mutant averages it, so it shrinks 3×).</summary>
    static double BiasCotangent()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(5);
        var dense = new Dense(init.Point(4, 2), init.Point(2));
        var (_, pullback) = dense.Forward(new Vec(init.Point(3, 4)));
        pullback(new Vec(ones(3, 2, ScalarType.Float64)));
        return dense.B.Grad.sum().item<double>();
    }

    [Fact]
    public void Mutant_AltersThePullbackOnlyInsideWithin()
    {
        var before = BiasCotangent();
        var inside = DenseBiasMean.Within(BiasCotangent);
        var after = BiasCotangent();
        Assert.Equal(6.0, before, 12);
        Assert.Equal(2.0, inside, 12);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Mutant_IsGoneAfterTheCheckInsideItThrows()
    {
        Assert.Throws<InvalidOperationException>(
            () => DenseBiasMean.Within<int>(() => throw new InvalidOperationException("a check failed")));
        Assert.Equal(6.0, BiasCotangent(), 12);
    }

    [Fact]
    public void Mutant_IsNotSeenByAThreadStartedOutsideWithin()
    {
        using var inside = new ManualResetEventSlim();
        using var measured = new ManualResetEventSlim();
        double other = double.NaN;
        var thread = new Thread(() =>
        {
            inside.Wait();
            other = BiasCotangent();
            measured.Set();
        });
        thread.Start();
        var mine = DenseBiasMean.Within(() =>
        {
            inside.Set();
            measured.Wait();
            return BiasCotangent();
        });
        thread.Join();
        Assert.Equal(2.0, mine, 12);
        Assert.Equal(6.0, other, 12);
    }

    [Fact]
    public void EveryCatalogRule_HasAtLeastOneMutant() => Assert.Empty(MutantCatalog.RulesWithoutMutant());

    [Fact]
    public void EveryMutant_HasAUniqueIdAndNamesACatalogRule()
    {
        Assert.Equal(MutantCatalog.All.Count, MutantCatalog.All.Select(m => m.Id).Distinct().Count());
        Assert.All(MutantCatalog.All, m => Assert.NotNull(RuleCatalog.Get(m.Rule)));
        Assert.True(MutantCatalog.All.Count >= 40, $"{MutantCatalog.All.Count} mutants");
    }

    public static TheoryData<string> Mutants() => [.. MutantCatalog.All.Select(m => m.Id)];

    [Theory, MemberData(nameof(Mutants))]
    public void Mutant_ReachesACaseOfItsOwnCatalogRule(string id)
    {
        var mutant = MutantCatalog.Get(id);
        var entry = RuleCatalog.Get(mutant.Rule);
        var reached = Enumerable.Range(0, VjpFamilies.MutantSeeds(entry)).Any(k =>
        {
            using var scope = NewDisposeScope();
            return mutant.Reaches(entry.Build(Init.Float64Cpu(VjpFamilies.Seed(entry.Id, k))).Root);
        });
        Assert.True(reached, $"{mutant} alters no node of a '{entry.Id}' case");
    }

    [Fact]
    public void Mutant_ThatReachesNoCase_LeavesAFamilyWithNothingToRun()
    {
        var scope = new CheckScope { Reaches = MutantCatalog.Get("maxpool-ties-last").Reaches, StopAtFirstFailure = true };
        var result = VjpFamilies.Configurations.Run(scope with { Reaches = n => false });
        Assert.False(result.Reached);
        Assert.Empty(VjpFamilies.Symbolic.Run(scope).Rows);
    }
}
