using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Testing;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.GradChecks;
using Xunit.Abstractions;

namespace LeanMlirVerify.FiniteDifference.Vjp;

/// <summary>Prints every row (so the max errors are visible in test output) and fails on any failing row.</summary>
public static class FdAssert
{
    public static void Passes(ITestOutputHelper output, IReadOnlyList<CheckResult> rows)
    {
        Assert.NotEmpty(rows);
        foreach (var row in rows) output.WriteLine(row.ToString());
        var failed = rows.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0, string.Join('\n', failed));
    }

    public static void Passes(ITestOutputHelper output, CheckResult row) => Passes(output, [row]);

    /// <summary>Asserts the harness reports a failure (mutation tests): a check that cannot fail is no check.</summary>
    public static void Fails(ITestOutputHelper output, IReadOnlyList<CheckResult> rows)
    {
        Assert.NotEmpty(rows);
        foreach (var row in rows) output.WriteLine(row.ToString());
        Assert.Contains(rows, r => !r.Passed);
    }

    /// <summary>
    /// The FsCheck property "the pullback matches FD" (GradCheck in one-cotangent mode under the book's policy, through
    /// <see cref="GradAssert.GradientsMatchForAll{T}"/>, replayed from a fixed seed) on a mutant; it must be falsified.
    /// </summary>
    public static void PropertyIsFalsified(ITestOutputHelper output, Func<Init, CheckCase> build)
    {
        var e = Assert.Throws<GradientPropertyException>(() => GradAssert.GradientsMatchForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var init = Init.Float64Cpu(seed);
            var c = build(init);
            var policy = VjpCheck.BookPolicy(relative: false) with { Mode = GradCheckMode.Cotangent(init.Point(c.Forward(c.X).shape)) };
            return GradCheck.Rule(c, policy, parameters: false);
        }, runs: 5));
        Assert.Contains("mismatch", e.Message);
        output.WriteLine($"property falsified: {e.Message.Split('\n')[0]}");
    }
}
