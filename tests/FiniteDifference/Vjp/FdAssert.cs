using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using Xunit.Abstractions;
using static TorchSharp.torch;

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

    /// <summary>Runs the FsCheck property "the pullback matches FD" on a mutant; it must be falsified.</summary>
    public static void PropertyIsFalsified(ITestOutputHelper output, Func<Init, CheckCase> build)
    {
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            using var scope = NewDisposeScope();
            var init = Init.Float64Cpu(seed);
            var c = build(init);
            return VjpCheck.Cotangent(c, init.Point(c.Forward(c.X).shape), parameters: false).All(r => r.Passed);
        });
        var e = Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(5), property));
        Assert.StartsWith("Falsifiable", e.Message);
        output.WriteLine($"property falsified: {e.Message.Split('\n')[0]}");
    }
}
