using System.Diagnostics;
using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>
/// One case of a check family: its worst error against its bound and the verdict. <see cref="Error"/> is NaN when a value
/// was not finite (a failure); <see cref="Rule"/> is the catalog rule or ledger item the case checks.
/// </summary>
public sealed record CheckRow(string Family, string Case, string Rule, double Error, double Bound, bool Passed, string Detail = "")
{
    /// <summary>
    /// Runs one case (null: out of scope, no row); an exception (a shape mismatch, a NaN guard) is a failing row naming
    /// it, not a crash.
    /// </summary>
    public static CheckRow? Guard(string family, string @case, string rule, Func<CheckRow?> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(family, @case, rule, double.NaN, double.NaN, false, $"threw {e.GetType().Name}: {e.Message}");
        }
    }

    public override string ToString() =>
        $"{(Passed ? "pass" : "FAIL")} {Family}: {Case} [{Rule}] error {Error:0.00e+00} (bound {Bound:0.0e+00})"
        + (Detail.Length > 0 ? "  " + Detail : "");
}

/// <summary>What a family runs: everything (<see cref="Full"/>), or the cases a mutant can reach, stopping at the first failure.</summary>
public sealed record CheckScope
{
    public static CheckScope Full { get; } = new();

    /// <summary>Only cases whose rule tree this accepts (a mutant's reach); null: every case.</summary>
    public Func<IVjpNode, bool>? Reaches { get; init; }

    /// <summary>Random-shape property checks of this catalog entry only (a mutant's rule), with all its runs; null: every entry.</summary>
    public string? Rule { get; init; }

    /// <summary>Stop a family at its first failing case (enough to say it killed a mutant).</summary>
    public bool StopAtFirstFailure { get; init; }

    /// <summary>Whether a case of <paramref name="root"/> is in scope (a case with no known tree always is).</summary>
    public bool Includes(IVjpNode? root) => Reaches is null || root is null || Reaches(root);

    /// <summary>A scope that checks pure mathematics (no <c>src/Vjp</c> node), which a Vjp mutant cannot reach.</summary>
    public bool ForMutant => Reaches is not null;
}

/// <summary>A family's rows, its stated bound and its time. No rows: nothing in scope (a mutant reaching none of its cases).</summary>
public sealed record FamilyResult(string Family, string Bound, IReadOnlyList<CheckRow> Rows, TimeSpan Elapsed)
{
    public bool Reached => Rows.Count > 0;
    public bool Passed => Rows.All(r => r.Passed);
    public IReadOnlyList<CheckRow> Failures => [.. Rows.Where(r => !r.Passed)];

    /// <summary>The largest error over the rows (+∞ when one was not finite; 0 with no rows).</summary>
    public double Worst => Rows.Count == 0 ? 0 : Rows.Max(r => double.IsNaN(r.Error) ? double.PositiveInfinity : r.Error);

    /// <summary>The row with the largest error relative to its own bound (its bound differs by case in some families).</summary>
    public CheckRow? WorstRow => Rows.OrderByDescending(Share).FirstOrDefault();

    /// <summary>"name[ under mutant]: N cases, worst E", then every row (or only the failing ones): what a test prints.</summary>
    public IEnumerable<string> Report(string? under = null, bool failuresOnly = false) =>
        [$"{Family}{(under is null ? "" : " under " + under)}: {Rows.Count} cases, worst {Worst:E2}",
            .. (failuresOnly ? Failures : Rows).Select(r => r.ToString())];

    static double Share(CheckRow r) => double.IsNaN(r.Error) ? double.PositiveInfinity : r.Bound > 0 ? r.Error / r.Bound : r.Error;
}

/// <summary>
/// A family of checks as library code: the same rows for <c>lmv check</c> and the tests. <paramref name="cases"/> yields
/// rows lazily, so a scope that stops at the first failure does not run the rest.
/// </summary>
public sealed class CheckFamily(string name, string bound, string description, Func<CheckScope, IEnumerable<CheckRow>> cases)
{
    public string Name => name;

    /// <summary>The bound in words, for the table ("1e-7 · max(1, |FD|)").</summary>
    public string Bound => bound;

    public string Description => description;

    public FamilyResult Run(CheckScope? scope = null)
    {
        scope ??= CheckScope.Full;
        var clock = Stopwatch.StartNew();
        var rows = new List<CheckRow>();
        foreach (var row in cases(scope))
        {
            rows.Add(row);
            if (scope.StopAtFirstFailure && !row.Passed) break;
        }
        return new(name, bound, rows, clock.Elapsed);
    }

    public override string ToString() => name;
}
