using System.Diagnostics;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// Runs a workload first with the garbage collector left alone, then again and again while <see cref="GcStress"/>
/// forces collections and finalizers, and requires bitwise the same numbers from every run and a minimum of forced full
/// collections (so a green result cannot come from a stress that never ran).
/// </summary>
public static class StressRun
{
    /// <summary>
    /// Default minimum of forced full collections during the stressed runs. A cycle takes a few milliseconds with the
    /// test host's heap, and the stressed runs last a second at least.
    /// </summary>
    public const long MinCollections = 20;

    /// <summary>
    /// Runs under stress are repeated until they have taken this long (at least one run): a use-after-free is a race,
    /// and a short workload gives it too few chances (measured on the unfixed code: 2 steps of mnist-mlp passed most
    /// times, a few seconds of them failed).
    /// </summary>
    public static readonly TimeSpan DefaultStressTime = TimeSpan.FromSeconds(2);

    /// <returns>the fingerprint (the same from every run), the stressed runs and the count of forced full collections.</returns>
    public static (Fingerprint Numbers, int Runs, long Collections) Compare(Func<Fingerprint> workload, ITestOutputHelper output,
        TimeSpan? stressTime = null, long minCollections = MinCollections)
    {
        var clock = Stopwatch.StartNew();
        var quiet = workload();
        var quietTime = clock.Elapsed;
        Assert.True(quiet.Entries.Count > 0, "the workload reported no numbers");
        int runs = 0;
        long collections, young;
        TimeSpan stressedTime;
        using (var stress = GcStress.Start())
        {
            do
            {
                var stressed = workload();
                runs++;
                var differences = Fingerprint.Differences(quiet, stressed);
                foreach (var d in differences.Take(20)) output.WriteLine($"  run {runs} under stress differs: {d}");
                Assert.True(differences.Count == 0,
                    $"{differences.Count} of {quiet.Entries.Count} numbers differ in run {runs} under GC stress; "
                    + $"first: {differences.FirstOrDefault()}");
            }
            while (stress.Elapsed < (stressTime ?? DefaultStressTime));
            (collections, young, stressedTime) = (stress.Collections, stress.YoungCollections, stress.Elapsed);
        }
        string equal = quiet.WithTolerance == 0
            ? "equal bitwise"
            : $"equal ({quiet.WithTolerance} within their tolerance, the rest bitwise)";
        output.WriteLine($"{quiet.Entries.Count} numbers, {equal}; without stress {quietTime.TotalSeconds:0.00} s; under stress "
            + $"{runs} run(s) in {stressedTime.TotalSeconds:0.00} s with {collections} forced full and {young} generation-0 collections");
        Assert.True(collections >= minCollections,
            $"only {collections} forced full collections ran during the workload (minimum {minCollections})");
        return (quiet, runs, collections);
    }
}
