using System.Diagnostics;
using LeanMlirVerify.Calculus.Symbolic;

namespace LeanMlirVerify.Calculus.Derivations;

/// <summary>One printed row of <c>lmv check --symbolic</c>.</summary>
/// <remarks><see cref="Result"/> is short ("checked", "FAILED", "rejected as expected", "axiom: not derived");
/// <see cref="Detail"/> carries the size, point and both values, or the axiom's reason.</remarks>
public sealed record SuiteRow(
    string Item, string Sizes, string Method, string Result, bool Failed, TimeSpan Elapsed, string? Detail = null);

/// <summary>Runs the derivation catalog (positive entries, axioms listed, negative family) and reports one row per entry.</summary>
public static class SymbolicSuite
{
    /// <summary>
    /// Runs every entry whose item name equals <paramref name="item"/> (all when null). An unknown name throws
    /// <see cref="ArgumentException"/>. Entries run in parallel; rows come back in catalog order.
    /// </summary>
    public static IReadOnlyList<SuiteRow> Run(string? item = null)
    {
        var entries = DerivationCatalog.All.Concat(DerivationCatalog.Negatives)
            .Where(d => item is null || string.Equals(d.Item, item, StringComparison.Ordinal)).ToList();
        if (entries.Count == 0)
            throw new ArgumentException(
                $"no derivation for item '{item}'; known items: {string.Join(", ", DerivationCatalog.All.Select(d => d.Item))}");
        var rows = new SuiteRow[entries.Count];
        Parallel.For(
            0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            k => rows[k] = RunOne(entries[k]));
        return rows;
    }

    public static SuiteRow RunOne(Derivation d)
    {
        var clock = Stopwatch.StartNew();
        string sizes = string.Join("; ", d.Instances.Select(i => i.Size));
        if (d.IsAxiom) return new SuiteRow(d.Name, "—", "—", "axiom: not derived", false, clock.Elapsed, d.AxiomReason);

        var methods = new List<Method>();
        foreach (var instance in d.Instances)
        {
            Outcome outcome;
            try { outcome = instance.Build().Check(); }
            catch (Exception e) when (
                e is EvaluationException or ArithmeticException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                return new SuiteRow(d.Name, sizes, "—", "FAILED", true, clock.Elapsed, $"at {instance.Size}: {e.Message}");
            }
            methods.Add(outcome.Method);
            if (d.Negative && !outcome.Equal)
                return new SuiteRow(
                    d.Name, sizes, Describe(outcome.Method), "rejected as expected", false, clock.Elapsed,
                    $"{d.ClosedForm}; at {instance.Size}: {outcome.Mismatch}");
            if (!d.Negative && !outcome.Equal)
                return new SuiteRow(
                    d.Name, sizes, Describe(outcome.Method), "FAILED", true, clock.Elapsed, $"at {instance.Size}: {outcome.Mismatch}");
        }
        if (d.Negative)
            return new SuiteRow(
                d.Name, sizes, Describe(methods.Max()), "FAILED", true, clock.Elapsed,
                $"the wrong closed form was accepted: {d.ClosedForm}");
        return new SuiteRow(d.Name, sizes, Describe(methods.Max()), "checked", false, clock.Elapsed);
    }

    public static string Describe(Method m) => m == Method.Canonical ? "canonical" : "randomized high-precision";
}
