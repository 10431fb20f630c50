using System.Globalization;

namespace LeanMlirVerify.Training.Bench;

/// <summary>
/// How widely each side's timed samples spread: (p90 − p10) / median. Undisturbed, a step's samples lie within a few
/// percent of one another; when other work takes the cores they spread, and the two medians then carry more of that
/// load than of the steps, so twin / hand can come out backwards. Above <see cref="BusyAbove"/> on either side the run
/// says so rather than letting its medians pass for measurements.
/// </summary>
public sealed record SampleSpread(double Hand, double Twin)
{
    /// <summary>A spread above this (25% of the median) on either side means the machine was busy.</summary>
    public const double BusyAbove = 0.25;

    public bool Busy => Hand > BusyAbove || Twin > BusyAbove;

    public static SampleSpread Of(IReadOnlyList<double> hand, IReadOnlyList<double> twin) => new(Relative(hand), Relative(twin));

    /// <summary>(p90 − p10) / median of the samples (percentiles interpolated between the sorted samples); NaN for none.</summary>
    public static double Relative(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.Order().ToList();
        return (Percentile(sorted, 0.9) - Percentile(sorted, 0.1)) / Percentile(sorted, 0.5);
    }

    static double Percentile(List<double> sorted, double q)
    {
        double at = q * (sorted.Count - 1);
        int below = (int)Math.Floor(at), above = (int)Math.Ceiling(at);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The one line a busy run prints before its figures; null when the machine was quiet.</summary>
    public string? Warning => Busy
        ? $"machine busy: the samples spread {Percent(Hand)} (hand) and {Percent(Twin)} (twin) of their medians (p90 − p10; "
          + $"quiet is under {Percent(BusyAbove)}), so the medians and twin / hand are not reliable; rerun on an idle machine"
        : null;
}
