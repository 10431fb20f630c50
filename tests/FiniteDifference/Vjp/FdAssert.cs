using LeanMlirVerify.Vjp.Checking;
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
}
